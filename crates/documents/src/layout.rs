//! A small flow layout for A4 documents on top of krilla: paragraphs that wrap, side-by-side
//! blocks, tables that continue on the next page with their header repeated, a QR code drawn as
//! vector rectangles, and a footer with "Strona i z n" on every page.
//!
//! Layout runs first and records drawing operations per page; painting happens once the page
//! count is known. Text is shaped here (rustybuzz, the shaper krilla uses) and handed to krilla as
//! glyphs, so a measured width is exactly the drawn width and right-aligned amounts line up.
//!
//! This module is the only place with floating point: PDF coordinates in points (1/72 inch).
//! Money never enters it except as already formatted text.
#![allow(clippy::float_arithmetic, reason = "PDF layout coordinates, never money")]

use krilla::color::luma;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};
use time::Date;

use crate::DocumentError;

/// A4 in points.
const PAGE_WIDTH: f32 = 595.276;
const PAGE_HEIGHT: f32 = 841.89;

const fn mm(value: f32) -> f32 {
    value * 72.0 / 25.4
}

const MARGIN_LEFT: f32 = mm(22.0);
const MARGIN_RIGHT: f32 = mm(20.0);
const MARGIN_TOP: f32 = mm(18.0);
/// Content stops here; the footer lives below.
const CONTENT_BOTTOM: f32 = PAGE_HEIGHT - mm(22.0);
const FOOTER_BASELINE: f32 = PAGE_HEIGHT - mm(12.0);
const CONTENT_WIDTH: f32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
const LINE_SPACING: f32 = 1.32;

/// Millimetres from the left margin / widths in millimetres, as the document modules give them.
fn mm_u(value: u16) -> f32 {
    mm(f32::from(value))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// Font size, weight and grey level (0 black … 255 white).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Style {
    size: f32,
    weight: Weight,
    gray: u8,
}

impl Style {
    pub(crate) const BODY: Style = Style { size: 9.5, weight: Weight::Regular, gray: 0 };
    pub(crate) const BODY_BOLD: Style = Style { size: 9.5, weight: Weight::Bold, gray: 0 };
    pub(crate) const SMALL: Style = Style { size: 8.0, weight: Weight::Regular, gray: 70 };
    pub(crate) const SMALL_BOLD: Style = Style { size: 8.0, weight: Weight::Bold, gray: 40 };
    pub(crate) const LARGE_BOLD: Style = Style { size: 11.5, weight: Weight::Bold, gray: 0 };
    pub(crate) const HEADING: Style = Style { size: 10.5, weight: Weight::Bold, gray: 0 };
    pub(crate) const SUBTITLE: Style = Style { size: 10.5, weight: Weight::Regular, gray: 0 };
    pub(crate) const TITLE: Style = Style { size: 15.0, weight: Weight::Bold, gray: 0 };
    const TABLE: Style = Style { size: 8.8, weight: Weight::Regular, gray: 0 };
    const TABLE_BOLD: Style = Style { size: 8.8, weight: Weight::Bold, gray: 0 };
    const TABLE_HEADER: Style = Style { size: 7.8, weight: Weight::Bold, gray: 40 };
    const FOOTER: Style = Style { size: 7.2, weight: Weight::Regular, gray: 110 };

    fn line_height(self) -> f32 {
        self.size * LINE_SPACING
    }

    /// From the top of a line box to its baseline.
    fn ascent(self) -> f32 {
        self.size * 0.95
    }
}

/// DejaVu Sans Condensed, regular and bold: every Polish letter, and narrow enough for tables.
pub(crate) struct Fonts {
    faces: [rustybuzz::Face<'static>; 2],
    fonts: [Font; 2],
}

impl Fonts {
    pub(crate) fn load() -> Result<Fonts, DocumentError> {
        let regular: &'static [u8] = dejavu::sans_condensed::regular();
        let bold: &'static [u8] = dejavu::sans_condensed::bold();
        let face = |data: &'static [u8]| rustybuzz::Face::from_slice(data, 0).ok_or(DocumentError::Font("DejaVu Sans Condensed"));
        let font = |data: &'static [u8]| Font::new(data.into(), 0).ok_or(DocumentError::Font("DejaVu Sans Condensed"));
        Ok(Fonts { faces: [face(regular)?, face(bold)?], fonts: [font(regular)?, font(bold)?] })
    }

    fn index(weight: Weight) -> usize {
        match weight {
            Weight::Regular => 0,
            Weight::Bold => 1,
        }
    }

    /// Shapes one left-to-right line (Latin script only in these documents). Each glyph carries the
    /// byte range of its cluster, which krilla turns into the ToUnicode map: that is what makes
    /// the text extractable and searchable.
    fn shape(&self, text: &str, weight: Weight) -> Vec<KrillaGlyph> {
        let face = &self.faces[Self::index(weight)];
        let units_per_em = face.units_per_em() as f32;
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let output = rustybuzz::shape(face, &[], buffer);
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        infos
            .iter()
            .zip(positions)
            .enumerate()
            .map(|(index, (info, position))| {
                let start = info.cluster as usize;
                let end = infos[index..].iter().map(|next| next.cluster as usize).find(|&cluster| cluster != start).unwrap_or(text.len());
                KrillaGlyph::new(
                    GlyphId::new(info.glyph_id),
                    position.x_advance as f32 / units_per_em,
                    position.x_offset as f32 / units_per_em,
                    position.y_offset as f32 / units_per_em,
                    position.y_advance as f32 / units_per_em,
                    start..end,
                    None,
                )
            })
            .collect()
    }

    /// The text as it can be printed: control characters dropped, and characters the font has no
    /// glyph for replaced by U+FFFD (or "?"). PDF/A forbids the .notdef glyph, so without this one
    /// exotic character in a name would make the whole document fail.
    fn printable(&self, text: &str) -> String {
        let covered = |c: char| self.faces.iter().all(|face| face.glyph_index(c).is_some());
        let replacement = if covered('\u{fffd}') { '\u{fffd}' } else { '?' };
        text.chars()
            .filter_map(|c| match c {
                '\n' => Some('\n'),
                '\t' => Some(' '),
                c if c.is_control() => None,
                c if covered(c) => Some(c),
                _ => Some(replacement),
            })
            .collect()
    }

    fn width(&self, text: &str, style: Style) -> f32 {
        self.shape(text, style.weight).iter().map(|glyph| glyph.x_advance).sum::<f32>() * style.size
    }

    /// Greedy word wrap at spaces; `\n` forces a break; a word wider than the line is cut between
    /// characters. No-break spaces (U+00A0 in amounts) never break.
    fn wrap(&self, text: &str, style: Style, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let text = self.printable(text);
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|word| !word.is_empty()) {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if self.width(&candidate, style) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if self.width(word, style) <= width {
                    line = word.to_owned();
                } else {
                    for c in word.chars() {
                        let mut longer = line.clone();
                        longer.push(c);
                        if !line.is_empty() && self.width(&longer, style) > width {
                            lines.push(std::mem::take(&mut line));
                            line.push(c);
                        } else {
                            line = longer;
                        }
                    }
                }
            }
            lines.push(line);
        }
        lines
    }
}

/// A drawing operation; y grows downwards from the top of the page.
#[derive(Debug, Clone)]
enum Op {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        gray: u8,
    },
    /// `dark` holds `modules × modules` cells, row by row.
    Qr {
        x: f32,
        y: f32,
        size: f32,
        modules: usize,
        dark: Vec<bool>,
    },
}

/// A QR symbol ready to draw: its modules and the printed size.
#[derive(Debug, Clone)]
pub(crate) struct QrSymbol {
    pub(crate) modules: usize,
    pub(crate) dark: Vec<bool>,
    pub(crate) size_mm: u16,
}

/// What a column of a side-by-side block holds.
#[derive(Debug, Clone)]
pub(crate) enum Content {
    /// Lines, each wrapped to the column width.
    Lines(Vec<(String, Style)>),
    /// A QR code with an optional caption below it.
    Qr(QrSymbol, Option<String>),
}

/// One column of a side-by-side block, positioned in millimetres from the left margin.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub(crate) left_mm: u16,
    pub(crate) width_mm: u16,
    pub(crate) align: Align,
    pub(crate) content: Content,
}

impl Column {
    pub(crate) fn lines(left_mm: u16, width_mm: u16, align: Align, lines: Vec<(String, Style)>) -> Column {
        Column { left_mm, width_mm, align, content: Content::Lines(lines) }
    }
}

/// A table column: its share of the content width and how its cells align.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TableColumn {
    pub(crate) weight: u16,
    pub(crate) align: Align,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowKind {
    Body,
    /// Bold, with a rule above: sums.
    Total,
}

#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// `None`: the full content width.
    pub(crate) width_mm: Option<u16>,
    pub(crate) columns: Vec<TableColumn>,
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<(RowKind, Vec<String>)>,
}

/// Document metadata fixed from the input: nothing here comes from a clock.
#[derive(Debug, Clone)]
pub(crate) struct Meta {
    pub(crate) title: String,
    pub(crate) subject: String,
    pub(crate) author: String,
    pub(crate) document_id: String,
    pub(crate) date: Date,
}

/// A table row wrapped to its columns: its height and the lines of each cell.
#[derive(Debug, Clone)]
struct LaidRow {
    height: f32,
    cells: Vec<Vec<String>>,
}

const CELL_PAD_X: f32 = 3.5;
const CELL_PAD_Y: f32 = 2.6;

/// A line held back until the block after it is placed, so that they share a page.
#[derive(Debug, Clone)]
struct Pending {
    text: String,
    style: Style,
    /// Vertical space after the line.
    gap: f32,
}

/// The page flow: a cursor going down the current page, new pages as needed.
pub(crate) struct Flow<'a> {
    fonts: &'a Fonts,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// Headings and lead-in lines waiting for the block they introduce.
    pending: Vec<Pending>,
    /// Printed at the top of every page after the first.
    continuation: String,
    /// Printed at the bottom left of every page.
    footer: String,
}

impl<'a> Flow<'a> {
    pub(crate) fn new(fonts: &'a Fonts, continuation: String, footer: String) -> Flow<'a> {
        let (continuation, footer) = (fonts.printable(&continuation), fonts.printable(&footer));
        Flow { fonts, pages: vec![Vec::new()], y: MARGIN_TOP, pending: Vec::new(), continuation, footer }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
        let style = Style::FOOTER;
        let text = self.continuation.clone();
        let baseline = self.y + style.ascent();
        self.ops().push(Op::Text { x: MARGIN_LEFT, y: baseline, style, text });
        self.y += style.line_height() + 1.5;
        self.hairline(self.y, 200);
        self.y += mm(5.0);
    }

    /// Starts a new page unless `height` more fits on this one (or this page is still empty).
    fn ensure(&mut self, height: f32) {
        if self.y + height > CONTENT_BOTTOM && self.y > MARGIN_TOP + mm(12.0) {
            self.new_page();
        }
    }

    /// Places the pending headings and lead-in lines together with a block of `height` that
    /// follows them: all on this page, or all on the next.
    fn begin_block(&mut self, height: f32) {
        let pending = std::mem::take(&mut self.pending);
        let pending_height: f32 = pending.iter().map(|line| line.style.line_height() + line.gap).sum();
        self.ensure(pending_height + height);
        for line in pending {
            let top = self.y;
            self.text_at(MARGIN_LEFT, CONTENT_WIDTH, top, Align::Left, line.text, line.style);
            self.y += line.style.line_height() + line.gap;
        }
    }

    fn space(&mut self, height: f32) {
        match self.pending.last_mut() {
            Some(line) => line.gap += height,
            None => self.y += height,
        }
    }

    pub(crate) fn space_mm(&mut self, millimetres: u16) {
        self.space(mm_u(millimetres));
    }

    /// Half a millimetre steps, for fine vertical rhythm.
    pub(crate) fn space_half_mm(&mut self, half_millimetres: u16) {
        self.space(mm_u(half_millimetres) / 2.0);
    }

    fn hairline(&mut self, y: f32, gray: u8) {
        self.ops().push(Op::Rect { x: MARGIN_LEFT, y, width: CONTENT_WIDTH, height: 0.5, gray });
    }

    /// A thin rule across the content width.
    pub(crate) fn rule(&mut self) {
        self.begin_block(0.5);
        let y = self.y;
        self.hairline(y, 160);
        self.y += 0.5;
    }

    fn text_at(&mut self, x: f32, width: f32, top: f32, align: Align, text: String, style: Style) {
        if text.is_empty() {
            return;
        }
        let text = self.fonts.printable(&text);
        let x = match align {
            Align::Left => x,
            Align::Center => x + (width - self.fonts.width(&text, style)) / 2.0,
            Align::Right => x + width - self.fonts.width(&text, style),
        };
        self.ops().push(Op::Text { x, y: top + style.ascent(), style, text });
    }

    /// A paragraph over the content width, moving to a new page between lines when needed.
    pub(crate) fn paragraph(&mut self, text: &str, style: Style, align: Align) {
        self.paragraph_indented(text, style, align, 0);
    }

    pub(crate) fn paragraph_indented(&mut self, text: &str, style: Style, align: Align, indent_mm: u16) {
        let x = MARGIN_LEFT + mm_u(indent_mm);
        let width = CONTENT_WIDTH - mm_u(indent_mm);
        let lines = self.fonts.wrap(text, style, width);
        // No single first line left at the bottom of a page.
        self.begin_block(lines.len().min(2) as f32 * style.line_height());
        for line in lines {
            self.ensure(style.line_height());
            let top = self.y;
            self.text_at(x, width, top, align, line, style);
            self.y += style.line_height();
        }
    }

    /// A section heading, kept on the same page as the block after it.
    pub(crate) fn heading(&mut self, text: &str) {
        self.pending.push(Pending { text: text.to_owned(), style: Style::HEADING, gap: mm(1.0) });
    }

    /// A short lead-in paragraph ("… in the following installments:"), kept with the block after it.
    pub(crate) fn lead(&mut self, text: &str, style: Style) {
        for line in self.fonts.wrap(text, style, CONTENT_WIDTH) {
            self.pending.push(Pending { text: line, style, gap: 0.0 });
        }
    }

    fn column_height(&self, column: &Column) -> (f32, Vec<(String, Style)>) {
        let width = mm_u(column.width_mm);
        match &column.content {
            Content::Lines(lines) => {
                let wrapped: Vec<(String, Style)> = lines
                    .iter()
                    .flat_map(|(text, style)| self.fonts.wrap(text, *style, width).into_iter().map(move |line| (line, *style)))
                    .collect();
                (wrapped.iter().map(|(_, style)| style.line_height()).sum(), wrapped)
            }
            Content::Qr(symbol, caption) => {
                let caption_lines: Vec<(String, Style)> = caption
                    .iter()
                    .flat_map(|text| self.fonts.wrap(text, Style::SMALL, width).into_iter().map(|line| (line, Style::SMALL)))
                    .collect();
                let caption_height: f32 = caption_lines.iter().map(|(_, style)| style.line_height()).sum();
                (mm_u(symbol.size_mm) + if caption_lines.is_empty() { 0.0 } else { mm(2.8) + caption_height }, caption_lines)
            }
        }
    }

    /// Columns placed side by side at the current height, kept on one page; the cursor moves below
    /// the tallest. With `boxed`, a light panel is drawn behind them.
    pub(crate) fn columns(&mut self, columns: &[Column], boxed: bool) {
        let padding = if boxed { mm(3.5) } else { 0.0 };
        let measured: Vec<(f32, Vec<(String, Style)>)> = columns.iter().map(|column| self.column_height(column)).collect();
        // Text columns share the baseline of their first lines (a small label beside a large value).
        let first_ascent = |column: &Column, lines: &[(String, Style)]| match column.content {
            Content::Lines(_) => lines.first().map_or(0.0, |(_, style)| style.ascent()),
            Content::Qr(..) => 0.0,
        };
        let baseline = columns.iter().zip(&measured).map(|(column, (_, lines))| first_ascent(column, lines)).fold(0.0, f32::max);
        let offsets: Vec<f32> = columns.iter().zip(&measured).map(|(column, (_, lines))| baseline - first_ascent(column, lines)).collect();
        let height = measured.iter().zip(&offsets).map(|((height, _), offset)| height + offset).fold(0.0, f32::max);
        self.begin_block(height + 2.0 * padding);
        let top = self.y + padding;
        if boxed {
            let y = self.y;
            self.ops().push(Op::Rect { x: MARGIN_LEFT, y, width: CONTENT_WIDTH, height: height + 2.0 * padding, gray: 244 });
        }
        for ((column, (_, lines)), offset) in columns.iter().zip(measured).zip(offsets) {
            let x = MARGIN_LEFT + mm_u(column.left_mm);
            let width = mm_u(column.width_mm);
            match &column.content {
                Content::Lines(_) => {
                    let mut line_top = top + offset;
                    for (text, style) in lines {
                        self.text_at(x, width, line_top, column.align, text, style);
                        line_top += style.line_height();
                    }
                }
                Content::Qr(symbol, _) => {
                    let size = mm_u(symbol.size_mm);
                    let qr_x = match column.align {
                        Align::Left => x,
                        Align::Center => x + (width - size) / 2.0,
                        Align::Right => x + width - size,
                    };
                    self.ops().push(Op::Qr { x: qr_x, y: top, size, modules: symbol.modules, dark: symbol.dark.clone() });
                    let mut line_top = top + size + mm(2.8);
                    for (text, style) in lines {
                        self.text_at(x, width, line_top, Align::Center, text, style);
                        line_top += style.line_height();
                    }
                }
            }
        }
        self.y += height + 2.0 * padding;
    }

    /// A table from the left margin, as wide as `Table::width_mm` or the content. Cells wrap; a row
    /// never splits; when a row does not fit, the table continues on the next page under a
    /// repeated header.
    pub(crate) fn table(&mut self, table: &Table) {
        let table_width = table.width_mm.map_or(CONTENT_WIDTH, |width| mm_u(width).min(CONTENT_WIDTH));
        let total_weight: f32 = table.columns.iter().map(|column| f32::from(column.weight)).sum::<f32>().max(1.0);
        let widths: Vec<f32> = table.columns.iter().map(|column| table_width * f32::from(column.weight) / total_weight).collect();
        let header = self.table_row(&widths, &table.columns, &table.header, Style::TABLE_HEADER);
        let rows: Vec<(RowKind, LaidRow)> = table
            .rows
            .iter()
            .map(|(kind, cells)| {
                let style = if *kind == RowKind::Total { Style::TABLE_BOLD } else { Style::TABLE };
                (*kind, self.table_row(&widths, &table.columns, cells, style))
            })
            .collect();
        let first_row = rows.first().map_or(0.0, |(_, row)| row.height);
        self.begin_block(header.height + first_row);
        self.draw_header(&widths, &table.columns, &header);
        for (kind, LaidRow { height, cells }) in rows {
            if self.y + height > CONTENT_BOTTOM {
                self.new_page();
                self.draw_header(&widths, &table.columns, &header);
            }
            let style = if kind == RowKind::Total { Style::TABLE_BOLD } else { Style::TABLE };
            let y = self.y;
            if kind == RowKind::Total {
                self.ops().push(Op::Rect { x: MARGIN_LEFT, y, width: table_width, height: 0.9, gray: 60 });
            }
            self.draw_cells(&widths, &table.columns, &cells, style);
            self.y += height;
            if kind == RowKind::Body {
                let y = self.y - 0.25;
                self.ops().push(Op::Rect { x: MARGIN_LEFT, y, width: table_width, height: 0.5, gray: 215 });
            }
        }
    }

    /// Wraps each cell to its column; returns the row height and the lines per cell.
    fn table_row(&self, widths: &[f32], columns: &[TableColumn], cells: &[String], style: Style) -> LaidRow {
        let lines: Vec<Vec<String>> = widths
            .iter()
            .zip(columns)
            .enumerate()
            .map(|(index, (width, _))| {
                let text = cells.get(index).map_or("", String::as_str);
                self.fonts.wrap(text, style, width - 2.0 * CELL_PAD_X)
            })
            .collect();
        let count = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        LaidRow { height: count as f32 * style.line_height() + 2.0 * CELL_PAD_Y, cells: lines }
    }

    fn draw_header(&mut self, widths: &[f32], columns: &[TableColumn], header: &LaidRow) {
        let y = self.y;
        let width = widths.iter().sum();
        self.ops().push(Op::Rect { x: MARGIN_LEFT, y, width, height: header.height, gray: 232 });
        // Header cells sit on a common bottom line, whether they took one line or two.
        let style = Style::TABLE_HEADER;
        let count = header.cells.iter().map(Vec::len).max().unwrap_or(0);
        let mut x = MARGIN_LEFT;
        for ((width, column), lines) in widths.iter().zip(columns).zip(&header.cells) {
            let mut top = y + CELL_PAD_Y + (count - lines.len()) as f32 * style.line_height();
            for line in lines {
                self.text_at(x + CELL_PAD_X, width - 2.0 * CELL_PAD_X, top, column.align, line.clone(), style);
                top += style.line_height();
            }
            x += width;
        }
        self.y += header.height;
    }

    fn draw_cells(&mut self, widths: &[f32], columns: &[TableColumn], cells: &[Vec<String>], style: Style) {
        let mut x = MARGIN_LEFT;
        for ((width, column), lines) in widths.iter().zip(columns).zip(cells) {
            let mut top = self.y + CELL_PAD_Y;
            for line in lines {
                self.text_at(x + CELL_PAD_X, width - 2.0 * CELL_PAD_X, top, column.align, line.clone(), style);
                top += style.line_height();
            }
            x += width;
        }
    }

    /// Adds the footers and writes the PDF.
    pub(crate) fn finish(mut self, meta: &Meta) -> Result<Vec<u8>, DocumentError> {
        self.begin_block(0.0);
        let count = self.pages.len();
        for index in 0..count {
            let style = Style::FOOTER;
            let top = FOOTER_BASELINE - style.ascent();
            let footer = self.footer.clone();
            let page_label = format!("Strona {} z {count}", index + 1);
            let left = self.fonts.width(&footer, style);
            let ops = &mut self.pages[index];
            ops.push(Op::Rect { x: MARGIN_LEFT, y: top - mm(2.0), width: CONTENT_WIDTH, height: 0.5, gray: 200 });
            ops.push(Op::Text { x: MARGIN_LEFT, y: FOOTER_BASELINE, style, text: footer });
            let right = self.fonts.width(&page_label, style);
            let x = (PAGE_WIDTH - MARGIN_RIGHT - right).max(MARGIN_LEFT + left + mm(5.0));
            ops.push(Op::Text { x, y: FOOTER_BASELINE, style, text: page_label });
        }
        paint(self.fonts, &self.pages, meta)
    }
}

fn paint(fonts: &Fonts, pages: &[Vec<Op>], meta: &Meta) -> Result<Vec<u8>, DocumentError> {
    // PDF/A-2u: archival (fonts embedded, colours device-independent, XMP metadata) with every
    // glyph mapped to Unicode; krilla refuses to write a file that breaks the profile.
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_U)
        .finish()
        .map_err(|error| DocumentError::Pdf(format!("PDF/A configuration: {error:?}")))?;
    let mut document = Document::new_with(SerializeSettings { configuration, enable_tagging: false, ..SerializeSettings::default() });
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or_else(|| DocumentError::Pdf("page size".to_owned()))?;
    for ops in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            paint_op(fonts, &mut surface, op);
        }
        surface.finish();
        page.finish();
    }
    let mut metadata = Metadata::new()
        .title(meta.title.clone())
        .description(meta.subject.clone())
        .authors(vec![meta.author.clone()])
        .creator("e-Należności".to_owned())
        .producer("e-Należności documents (krilla)".to_owned())
        .language("pl".to_owned())
        .document_id(meta.document_id.clone());
    if let Ok(year) = u16::try_from(meta.date.year()) {
        metadata = metadata.creation_date(DateTime::new(year).month(u8::from(meta.date.month())).day(meta.date.day()));
    }
    document.set_metadata(metadata);
    document.finish().map_err(|error| DocumentError::Pdf(format!("{error:?}")))
}

fn fill(gray: u8) -> Fill {
    Fill { paint: luma::Color::new(gray).into(), opacity: NormalizedF32::ONE, rule: Default::default() }
}

fn paint_op(fonts: &Fonts, surface: &mut Surface<'_>, op: &Op) {
    match op {
        Op::Text { x, y, style, text } => {
            let glyphs = fonts.shape(text, style.weight);
            surface.set_fill(Some(fill(style.gray)));
            let font = fonts.fonts[Fonts::index(style.weight)].clone();
            surface.draw_glyphs(Point::from_xy(*x, *y), &glyphs, font, text, style.size, false);
        }
        Op::Rect { x, y, width, height, gray } => {
            let mut builder = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *width, *height) {
                builder.push_rect(rect);
            }
            if let Some(path) = builder.finish() {
                surface.set_fill(Some(fill(*gray)));
                surface.draw_path(&path);
            }
        }
        Op::Qr { x, y, size, modules, dark } => {
            // One path of horizontal runs of dark modules: a single fill, so no hairline seams
            // between neighbouring modules when a viewer antialiases.
            let module = size / *modules as f32;
            // A white quiet zone, so the code keeps full contrast on a tinted panel.
            let quiet = 2.0 * module;
            let mut background = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(x - quiet, y - quiet, size + 2.0 * quiet, size + 2.0 * quiet) {
                background.push_rect(rect);
            }
            if let Some(path) = background.finish() {
                surface.set_fill(Some(fill(255)));
                surface.draw_path(&path);
            }
            let mut builder = PathBuilder::new();
            for row in 0..*modules {
                let mut column = 0;
                while column < *modules {
                    if !dark.get(row * modules + column).copied().unwrap_or(false) {
                        column += 1;
                        continue;
                    }
                    let start = column;
                    while column < *modules && dark.get(row * modules + column).copied().unwrap_or(false) {
                        column += 1;
                    }
                    let rect =
                        Rect::from_xywh(x + start as f32 * module, y + row as f32 * module, (column - start) as f32 * module, module);
                    if let Some(rect) = rect {
                        builder.push_rect(rect);
                    }
                }
            }
            if let Some(path) = builder.finish() {
                surface.set_fill(Some(fill(0)));
                surface.draw_path(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_replaces_what_the_font_lacks() {
        let fonts = Fonts::load().unwrap();
        assert_eq!(fonts.printable("Zażółć gęślą jaźń ŻÓŁĆ\u{a0}zł"), "Zażółć gęślą jaźń ŻÓŁĆ\u{a0}zł");
        let replaced = fonts.printable("a李b\u{7}\tc");
        assert!(replaced == "a\u{fffd}b c" || replaced == "a?b c", "{replaced:?}");
    }

    #[test]
    fn wrap_breaks_at_spaces_only_and_cuts_overlong_words() {
        let fonts = Fonts::load().unwrap();
        let style = Style::BODY;
        let amount = "w kwocie 1\u{a0}234\u{a0}567,00\u{a0}zł";
        // Room for the amount alone, not with the words before it: it moves whole to the next line.
        let width = fonts.width("1\u{a0}234\u{a0}567,00\u{a0}zł", style) + 1.0;
        let lines = fonts.wrap(amount, style, width);
        assert_eq!(lines, vec!["w kwocie".to_owned(), "1\u{a0}234\u{a0}567,00\u{a0}zł".to_owned()]);

        let long = "x".repeat(200);
        let lines = fonts.wrap(&long, style, mm(40.0));
        assert!(lines.len() > 1 && lines.iter().all(|line| fonts.width(line, style) <= mm(40.0)), "{lines:?}");
        assert_eq!(lines.concat(), long);

        assert_eq!(fonts.wrap("one\ntwo", style, CONTENT_WIDTH), vec!["one".to_owned(), "two".to_owned()]);
    }

    #[test]
    fn measured_width_grows_with_text_and_size() {
        let fonts = Fonts::load().unwrap();
        let short = fonts.width("Łącko", Style::BODY);
        assert!(short > 0.0);
        assert!(fonts.width("Łącko Łącko", Style::BODY) > short);
        assert!(fonts.width("Łącko", Style::TITLE) > short);
    }
}
