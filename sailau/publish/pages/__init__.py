"""What the public pages show and how they are drawn fast: the view models of the drill-down
pages, a contest's results, colours, the tile map and the hemicycle, the log's banner, who
signed a station's protocols, search, and the cache of rendered pages."""
