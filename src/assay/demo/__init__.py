"""`assay demo`: a real scan, over HTTP, of a seeded estate on an in-process moto server."""
