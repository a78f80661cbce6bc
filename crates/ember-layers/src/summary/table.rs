//! The summary table: one row per layer, shapes threaded from the input.

use std::fmt;

/// What one layer contributes to a summary, given the shape of one input sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerStats {
    /// The layer's type and geometry, e.g. `Conv2d 5x5` or `Subsampling 2x2`.
    pub kind: String,
    /// The output shape of one sample (no batch dimension), e.g. `[6, 28, 28]`.
    pub output: Vec<usize>,
    /// Trainable parameters.
    pub params: usize,
    /// Connections: multiply-adds from inputs (and biases) into output units, as LeCun et
    /// al. (1998) count them; a shared weight counts once per use.
    pub connections: usize,
    /// Multiply-accumulates of one forward pass of one sample: one per use of a weight
    /// (`connections` without the bias additions); 0 for layers without weights.
    pub macs: usize,
}

impl LayerStats {
    /// Output units of one sample: the product of the output shape.
    pub fn neurons(&self) -> usize {
        self.output.iter().product()
    }
}

/// A layer that can describe itself in a [`Summary`].
pub trait Summarize {
    /// The layer's statistics for an input sample of shape `input` (no batch dimension).
    ///
    /// # Panics
    /// If `input` does not suit the layer (wrong rank or channel count), naming both.
    fn summarize(&self, input: &[usize]) -> LayerStats;
}

/// A model summary: the input shape and one named row per layer.
///
/// ```text
/// Layer                 Type              Output shape     Neurons   Params  Connections
/// C1                    Conv2d 5x5        [6, 28, 28]        4,704      156      122,304
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The model's name, printed as the title.
    pub title: String,
    /// The shape of one input sample.
    pub input: Vec<usize>,
    /// `(name, stats)` per layer, in forward order.
    pub rows: Vec<(String, LayerStats)>,
}

impl Summary {
    /// An empty summary of a model taking samples of shape `input`.
    pub fn new(title: impl Into<String>, input: &[usize]) -> Self {
        Self {
            title: title.into(),
            input: input.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Appends `layer`, fed with the previous layer's output.
    pub fn layer(mut self, name: &str, layer: &impl Summarize) -> Self {
        let stats = layer.summarize(self.output());
        self.rows.push((name.to_string(), stats));
        self
    }

    /// The output shape of the last layer (the input shape when there is none).
    pub fn output(&self) -> &[usize] {
        self.rows.last().map_or(&self.input, |(_, s)| &s.output)
    }

    /// The row named `name`.
    pub fn row(&self, name: &str) -> Option<&LayerStats> {
        self.rows.iter().find(|(n, _)| n == name).map(|(_, s)| s)
    }

    /// Trainable parameters of all layers.
    pub fn total_params(&self) -> usize {
        self.rows.iter().map(|(_, s)| s.params).sum()
    }

    /// Connections of all layers.
    pub fn total_connections(&self) -> usize {
        self.rows.iter().map(|(_, s)| s.connections).sum()
    }

    /// Multiply-accumulates of one forward pass of one sample, all layers.
    pub fn total_macs(&self) -> usize {
        self.rows.iter().map(|(_, s)| s.macs).sum()
    }
}

/// `1234567` → `1,234,567`: how the summary prints its numbers.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = format!(
            "{:<8} {:<20} {:<15} {:>9} {:>11} {:>13} {:>13}",
            "Layer", "Type", "Output shape", "Neurons", "Params", "Connections", "MACs"
        );
        let rule = "=".repeat(header.len());
        writeln!(f, "Model: {}", self.title)?;
        writeln!(f, "{rule}")?;
        writeln!(f, "{header}")?;
        writeln!(f, "{}", "-".repeat(header.len()))?;
        writeln!(
            f,
            "{:<8} {:<20} {:<15}",
            "Input",
            "",
            format!("{:?}", self.input)
        )?;
        for (name, s) in &self.rows {
            writeln!(
                f,
                "{:<8} {:<20} {:<15} {:>9} {:>11} {:>13} {:>13}",
                name,
                s.kind,
                format!("{:?}", s.output),
                thousands(s.neurons()),
                thousands(s.params),
                thousands(s.connections),
                thousands(s.macs)
            )?;
        }
        writeln!(f, "{rule}")?;
        writeln!(f, "Trainable params: {}", thousands(self.total_params()))?;
        writeln!(
            f,
            "Connections:      {}",
            thousands(self.total_connections())
        )?;
        write!(f, "MACs per sample:  {}", thousands(self.total_macs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Halve;
    impl Summarize for Halve {
        fn summarize(&self, input: &[usize]) -> LayerStats {
            LayerStats {
                kind: "Halve".into(),
                output: input.iter().map(|d| d / 2).collect(),
                params: 1,
                connections: 2,
                macs: 1,
            }
        }
    }

    #[test]
    fn threads_shapes_and_sums() {
        let s = Summary::new("toy", &[8, 8])
            .layer("a", &Halve)
            .layer("b", &Halve);
        assert_eq!(s.output(), &[2, 2]);
        assert_eq!(s.row("a").unwrap().neurons(), 16);
        assert_eq!((s.total_params(), s.total_connections()), (2, 4));
        let text = s.to_string();
        assert!(text.contains("Trainable params: 2"), "{text}");
    }

    #[test]
    fn formats_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(122_304), "122,304");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
