//! precis ingest stage.
