//! Pretrained word vectors (GloVe or word2vec text format) and the embedding matrix they
//! give a vocabulary.

use std::collections::HashMap;
use std::path::Path;

use burn::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::vocab::{Vocabulary, PAD_ID, UNK_ID};
use crate::idx::read_maybe_gz;
use crate::DataError;

/// Word vectors read from a text file: one `word v1 v2 … v_dim` line per word, as GloVe
/// writes them, optionally after word2vec's header line `count dim` (gzipped or not).
/// A word that appears twice keeps its first vector.
#[derive(Debug, Clone, PartialEq)]
pub struct WordVectors {
    dim: usize,
    index: HashMap<String, usize>,
    values: Vec<f32>,
}

/// What the rows of words without a pretrained vector hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MissingVectors {
    /// Zeros.
    Zero,
    /// Independent draws from the uniform distribution on `[-scale, scale]` (e.g. 0.25, as
    /// Kim 2014 initialised unknown words), seeded.
    Uniform {
        /// Half the width of the interval.
        scale: f32,
        /// The generator's seed.
        seed: u64,
    },
}

/// The initial embedding matrix of a vocabulary.
///
/// # Shapes
/// `values`: `[rows, dim]`, row-major; row `i` belongs to token id `i`.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddingMatrix {
    /// The matrix, row-major.
    pub values: Vec<f32>,
    /// The number of rows: the vocabulary's length.
    pub rows: usize,
    /// The vector width.
    pub dim: usize,
    /// How many vocabulary tokens (`<pad>` and `<unk>` not counted) had a pretrained vector.
    pub found: usize,
}

impl EmbeddingMatrix {
    /// The matrix as a `[rows, dim]` float tensor on `device`, to initialise an embedding.
    pub fn to_tensor(&self, device: &Device) -> Tensor<2> {
        Tensor::from_data(
            TensorData::new(self.values.clone(), [self.rows, self.dim]),
            device,
        )
    }
}

impl WordVectors {
    /// Reads every vector of the file at `path`.
    ///
    /// # Errors
    /// [`DataError::Io`], [`DataError::NotUtf8`], or [`DataError::BadLine`] naming the
    /// line whose width differs from the first line's, or whose value is not a number.
    pub fn read(path: &Path) -> Result<Self, DataError> {
        Self::read_filtered(path, |_| true)
    }

    /// Reads only the vectors of `vocab`'s tokens (or of their lower-case forms), which
    /// keeps a large file's memory small.
    ///
    /// # Errors
    /// As [`WordVectors::read`].
    pub fn read_for(path: &Path, vocab: &Vocabulary) -> Result<Self, DataError> {
        let wanted: std::collections::HashSet<String> = vocab
            .tokens()
            .iter()
            .flat_map(|t| [t.clone(), t.to_lowercase()])
            .collect();
        Self::read_filtered(path, |w| wanted.contains(w))
    }

    fn read_filtered(path: &Path, keep: impl Fn(&str) -> bool) -> Result<Self, DataError> {
        let bytes = read_maybe_gz(path)?;
        let text = std::str::from_utf8(&bytes).map_err(|e| DataError::NotUtf8 {
            path: path.into(),
            offset: e.valid_up_to(),
        })?;
        let mut out = WordVectors {
            dim: 0,
            index: HashMap::new(),
            values: Vec::new(),
        };
        let bad = |line: usize, what: String| DataError::BadLine {
            path: path.into(),
            line: line as u64 + 1,
            what,
        };
        for (n, line) in text.lines().enumerate() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.is_empty() {
                continue;
            }
            if n == 0 && fields.len() == 2 && fields.iter().all(|f| f.parse::<usize>().is_ok()) {
                out.dim = fields[1].parse().expect("checked above");
                continue;
            }
            if out.dim == 0 {
                out.dim = fields.len() - 1;
            }
            if fields.len() < out.dim + 1 || out.dim == 0 {
                return Err(bad(
                    n,
                    format!(
                        "{} values, expected {} (the width of the first vector); \
                         is this a GloVe or word2vec text file?",
                        fields.len() - 1,
                        out.dim
                    ),
                ));
            }
            let split = fields.len() - out.dim;
            let word = fields[..split].join(" ");
            if out.index.contains_key(&word) || !keep(&word) {
                continue;
            }
            for value in &fields[split..] {
                let v: f32 = value
                    .parse()
                    .map_err(|_| bad(n, format!("{value:?} is not a number")))?;
                out.values.push(v);
            }
            out.index.insert(word, out.index.len());
        }
        Ok(out)
    }

    /// The vector width.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The number of words read.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether no word was read.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The vector of `word`, if the file had one.
    pub fn get(&self, word: &str) -> Option<&[f32]> {
        let i = *self.index.get(word)?;
        Some(&self.values[i * self.dim..(i + 1) * self.dim])
    }

    /// The embedding matrix of `vocab`: row `id` is the vector of the token `id` (looked
    /// up as written, then lower-cased); the `<pad>` row is zero; `<unk>` and tokens
    /// without a vector get `missing`.
    pub fn embedding_matrix(&self, vocab: &Vocabulary, missing: MissingVectors) -> EmbeddingMatrix {
        let dim = self.dim;
        let mut values = vec![0.0f32; vocab.len() * dim];
        let mut rng = match missing {
            MissingVectors::Uniform { seed, .. } => Some(StdRng::seed_from_u64(seed)),
            MissingVectors::Zero => None,
        };
        let mut found = 0;
        for (id, token) in vocab.tokens().iter().enumerate() {
            let row = &mut values[id * dim..(id + 1) * dim];
            let vector = (id > UNK_ID)
                .then(|| self.get(token).or_else(|| self.get(&token.to_lowercase())))
                .flatten();
            match (vector, missing, rng.as_mut()) {
                (Some(v), _, _) => {
                    row.copy_from_slice(v);
                    found += 1;
                }
                (None, MissingVectors::Uniform { scale, .. }, Some(rng)) if id != PAD_ID => {
                    for x in row.iter_mut() {
                        *x = rng.random_range(-scale..=scale);
                    }
                }
                _ => {}
            }
        }
        EmbeddingMatrix {
            values,
            rows: vocab.len(),
            dim,
            found,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::vocab::VocabConfig;

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vectors.txt");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    /// Ids: <pad> 0, <unk> 1, cat 2, dog 3, 猫 4.
    fn vocab() -> Vocabulary {
        let docs = [vec!["cat", "cat", "cat", "dog", "dog", "猫"]];
        Vocabulary::build(docs, &VocabConfig::default()).unwrap()
    }

    #[test]
    fn glove_lines_fill_the_rows_of_known_tokens() {
        let (_dir, path) = write("the 9 9\nCat 0.5 -1\n猫 2 3.25\ncat 7 7\n");
        let vectors = WordVectors::read(&path).unwrap();
        assert_eq!((vectors.dim(), vectors.len()), (2, 4));
        let m = vectors.embedding_matrix(&vocab(), MissingVectors::Zero);
        assert_eq!((m.rows, m.dim, m.found), (5, 2, 2));
        #[rustfmt::skip]
        assert_eq!(m.values, [
            0.0, 0.0,  // <pad>
            0.0, 0.0,  // <unk>
            7.0, 7.0,  // cat, exact before lower-cased "Cat"
            0.0, 0.0,  // dog: no vector
            2.0, 3.25, // 猫
        ]);
        assert_eq!(m.to_tensor(&Device::flex()).dims(), [5, 2]);
    }

    #[test]
    fn a_word2vec_header_is_skipped_and_missing_rows_are_seeded_uniform() {
        let (_dir, path) = write("2 3\ncat 1 2 3\nDog 4 5 6\n");
        let vectors = WordVectors::read_for(&path, &vocab()).unwrap();
        assert_eq!((vectors.dim(), vectors.len()), (3, 1)); // "Dog" is not a vocabulary form
        let missing = MissingVectors::Uniform {
            scale: 0.25,
            seed: 9,
        };
        let m = vectors.embedding_matrix(&vocab(), missing);
        assert_eq!(m.found, 1);
        assert_eq!(&m.values[..3], [0.0; 3]);
        assert_eq!(&m.values[6..9], [1.0, 2.0, 3.0]);
        for row in [1, 3, 4] {
            let r = &m.values[row * 3..row * 3 + 3];
            assert!(
                r.iter().all(|x| x.abs() <= 0.25) && r.iter().any(|&x| x != 0.0),
                "{r:?}"
            );
        }
        assert_eq!(m, vectors.embedding_matrix(&vocab(), missing));
    }

    #[test]
    fn a_short_line_or_a_bad_number_names_the_line() {
        let (_dir, path) = write("a 1 2\nb 3\n");
        let err = WordVectors::read(&path).unwrap_err().to_string();
        assert!(err.contains("line 2: 1 values, expected 2"), "{err}");
        let (_dir, path) = write("a 1 2\nb 3 x\n");
        let err = WordVectors::read(&path).unwrap_err().to_string();
        assert!(err.contains("line 2: \"x\" is not a number"), "{err}");
    }
}
