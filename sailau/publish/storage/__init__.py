"""Where the snapshots live: the content-addressed objects, the manifests and their chain
(`store`), the publication lock and the publisher's state beside them (`publisher_state`), how
long objects are kept (`retention`), the copy in an S3-compatible bucket (`mirror`), and
serving them at /snapshots/ (`serving`)."""
