//! The embedding cache: vectors keyed by (model checksum, sentence text) in
//! redb, an embedded ACID store, so a killed run loses at most the batch it
//! was computing and never corrupts what was saved before.

use anyhow::{Context, Result};
use redb::{Database, ReadableDatabase, TableDefinition};
use std::path::{Path, PathBuf};

const VECTORS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("vectors");

#[derive(Debug)]
pub struct EmbeddingCache {
    db: Database,
    /// The database file, for messages.
    path: PathBuf,
    model_checksum: String,
}

impl EmbeddingCache {
    /// Opens (or creates) the cache in `dir` for one model.
    pub fn open(dir: &Path, model_checksum: &str) -> Result<Self> {
        fs_err::create_dir_all(dir)?;
        let path = dir.join("embeddings.redb");
        let db = Database::create(&path)
            .with_context(|| format!("opening the embedding cache {}", path.display()))?;
        Ok(Self {
            db,
            path,
            model_checksum: model_checksum.to_owned(),
        })
    }

    fn key(&self, text: &str) -> [u8; 32] {
        let mut hasher = blake3::Hasher::new();
        hasher.update(self.model_checksum.as_bytes());
        hasher.update(&[0]);
        hasher.update(text.as_bytes());
        *hasher.finalize().as_bytes()
    }

    /// The cached vector of each text, or `None` where there is none.
    pub fn get_many(&self, texts: &[&str]) -> Result<Vec<Option<Vec<f32>>>> {
        self.read(texts)
            .with_context(|| format!("reading the embedding cache {}", self.path.display()))
    }

    fn read(&self, texts: &[&str]) -> Result<Vec<Option<Vec<f32>>>> {
        let txn = self.db.begin_read()?;
        let table = match txn.open_table(VECTORS) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(vec![None; texts.len()]),
            Err(e) => return Err(e.into()),
        };
        texts
            .iter()
            .map(|text| {
                let value = table.get(self.key(text).as_slice())?;
                Ok(value.map(|v| decode(v.value())))
            })
            .collect()
    }

    /// Stores vectors in one durable transaction.
    pub fn put_many(&self, entries: &[(&str, &[f32])]) -> Result<()> {
        self.write(entries)
            .with_context(|| format!("saving to the embedding cache {}", self.path.display()))
    }

    fn write(&self, entries: &[(&str, &[f32])]) -> Result<()> {
        let txn = self.db.begin_write()?;
        {
            let mut table = txn.open_table(VECTORS)?;
            for (text, vector) in entries {
                table.insert(self.key(text).as_slice(), encode(vector).as_slice())?;
            }
        }
        txn.commit()?;
        Ok(())
    }
}

fn encode(vector: &[f32]) -> Vec<u8> {
    vector.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn decode(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_round_trip_per_model() {
        let dir = tempfile::tempdir().unwrap();
        let cache = EmbeddingCache::open(dir.path(), "model-a").unwrap();
        assert_eq!(cache.get_many(&["x"]).unwrap(), vec![None]);
        cache.put_many(&[("x", &[1.5, -2.0][..])]).unwrap();
        assert_eq!(
            cache.get_many(&["x", "y"]).unwrap(),
            vec![Some(vec![1.5, -2.0]), None]
        );
        drop(cache);
        let other_model = EmbeddingCache::open(dir.path(), "model-b").unwrap();
        assert_eq!(other_model.get_many(&["x"]).unwrap(), vec![None]);
    }
}
