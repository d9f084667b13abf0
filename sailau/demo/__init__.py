"""The synthetic national election of `sailau demo`."""
