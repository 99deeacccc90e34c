//! Byte offsets to line and column, in UTF-8 bytes (SARIF, terminal), characters and UTF-16 units.

use plan_syntax::TextSize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of the start of every line.
    line_starts: Vec<u32>,
    /// Characters before the start of every line, counted the first time a character offset
    /// is asked for (SARIF `charOffset`, ariadne's spans).
    char_starts: std::sync::OnceLock<Vec<u32>>,
}

thread_local! {
    /// How many indexes this thread has built: renderers must build one per file, not one per
    /// diagnostic, and a test counts them.
    static BUILT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A zero-based line and a zero-based column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        BUILT.with(|it| it.set(it.get() + 1));
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(index, _)| index as u32 + 1));
        LineIndex { line_starts, char_starts: std::sync::OnceLock::new() }
    }

    /// How many line indexes the calling thread has built so far.
    pub fn built_on_this_thread() -> usize {
        BUILT.with(std::cell::Cell::get)
    }

    /// Characters from the start of the text to a byte offset (clamped, and floored to a
    /// character boundary).
    pub fn char_offset(&self, text: &str, offset: TextSize) -> u32 {
        let char_starts = self.char_starts.get_or_init(|| {
            let mut chars = 0u32;
            let mut starts = Vec::with_capacity(self.line_starts.len());
            let mut previous = 0usize;
            for &start in &self.line_starts {
                chars += text.get(previous..start as usize).map_or(0, |it| it.chars().count() as u32);
                starts.push(chars);
                previous = start as usize;
            }
            starts
        });
        let offset = floor_char_boundary(text, (u32::from(offset) as usize).min(text.len()));
        let line = self.line_starts.partition_point(|&start| start as usize <= offset) - 1;
        let start = self.line_starts[line] as usize;
        char_starts[line] + text[start..offset].chars().count() as u32
    }

    /// Zero-based line and column; the column counts characters.
    pub fn line_col(&self, text: &str, offset: TextSize) -> LineCol {
        let offset = u32::from(offset).min(text.len() as u32);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let end = floor_char_boundary(text, offset as usize);
        LineCol { line: line as u32, col: text[start..end].chars().count() as u32 }
    }

    /// Zero-based line and column in UTF-16 code units, as the language server protocol counts.
    pub fn line_col_utf16(&self, text: &str, offset: TextSize) -> LineCol {
        let offset = u32::from(offset).min(text.len() as u32);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let end = floor_char_boundary(text, offset as usize);
        LineCol { line: line as u32, col: text[start..end].encode_utf16().count() as u32 }
    }

    /// The byte offset of a UTF-16 line and column, clamped to the text.
    pub fn offset_utf16(&self, text: &str, position: LineCol) -> TextSize {
        let Some(&start) = self.line_starts.get(position.line as usize) else {
            return TextSize::from(text.len() as u32);
        };
        let line_end = self.line_starts.get(position.line as usize + 1).map_or(text.len(), |&end| end as usize);
        let mut units = 0;
        for (index, ch) in text[start as usize..line_end].char_indices() {
            if units >= position.col || ch == '\n' {
                return TextSize::from(start + index as u32);
            }
            units += ch.len_utf16() as u32;
        }
        TextSize::from(line_end as u32)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    pub fn line_start(&self, line: u32) -> Option<TextSize> {
        self.line_starts.get(line as usize).map(|&it| TextSize::from(it))
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_surrogate_pairs_twice() {
        let text = "a = \"é😀\"\nb";
        let index = LineIndex::new(text);
        let offset = TextSize::from(text.find('"').unwrap() as u32 + 1 + 2 + 4);
        assert_eq!(index.line_col_utf16(text, offset), LineCol { line: 0, col: 8 });
        assert_eq!(index.offset_utf16(text, LineCol { line: 0, col: 8 }), offset);
        assert_eq!(index.line_col(text, TextSize::from(text.len() as u32)), LineCol { line: 1, col: 1 });
    }

    #[test]
    fn character_offsets_count_from_the_start_of_the_text() {
        let text = "é\nab😀c\n";
        let index = LineIndex::new(text);
        for (byte, chars) in [(0, 0), (2, 1), (3, 2), (5, 4), (9, 5), (10, 6), (11, 7), (99, 7)] {
            assert_eq!(index.char_offset(text, TextSize::from(byte)), chars, "at byte {byte}");
        }
        // Inside a character: the character it is in.
        assert_eq!(index.char_offset(text, TextSize::from(1)), 0);
    }
}
