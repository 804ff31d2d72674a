//! Arrow out: decisions as the flat decision columns
//! ([`DecisionColumns`]: names, order, types and cells).

use std::sync::Arc;

use crate::{Cell, ColumnType, Decision, DecisionColumns};
use arrow_array::builder::{Float64Builder, Int64Builder, ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};

fn data_type(t: ColumnType) -> DataType {
    match t {
        ColumnType::Text => DataType::Utf8,
        ColumnType::Integer => DataType::Int64,
        ColumnType::Number => DataType::Float64,
        ColumnType::TextList => DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
    }
}

/// The Arrow schema of the decision columns.
pub fn decision_schema(columns: &DecisionColumns) -> SchemaRef {
    let fields: Vec<Field> = columns
        .columns()
        .iter()
        .map(|c| Field::new(&c.name, data_type(c.column_type), true))
        .collect();
    Arc::new(Schema::new(fields))
}

/// One decision column being built.
enum Builder {
    Text(StringBuilder),
    Integer(Int64Builder),
    Number(Float64Builder),
    TextList(ListBuilder<StringBuilder>),
}

impl Builder {
    fn new(t: ColumnType, rows: usize) -> Self {
        match t {
            ColumnType::Text => Builder::Text(StringBuilder::with_capacity(rows, rows * 8)),
            ColumnType::Integer => Builder::Integer(Int64Builder::with_capacity(rows)),
            ColumnType::Number => Builder::Number(Float64Builder::with_capacity(rows)),
            ColumnType::TextList => Builder::TextList(ListBuilder::with_capacity(
                StringBuilder::with_capacity(2 * rows, 32 * rows),
                rows,
            )),
        }
    }

    fn push(&mut self, cell: &Cell<'_>) {
        match (self, cell) {
            (Builder::Text(b), Cell::Text(s)) => b.append_value(s),
            (Builder::Text(b), Cell::OwnedText(s)) => b.append_value(s),
            (Builder::Integer(b), Cell::Integer(i)) => b.append_value(*i),
            (Builder::Number(b), Cell::Number(x)) => b.append_value(*x),
            (Builder::TextList(b), Cell::TextList(items)) => {
                for item in items {
                    b.values().append_value(item);
                }
                b.append(true);
            }
            (Builder::Text(b), _) => b.append_null(),
            (Builder::Integer(b), _) => b.append_null(),
            (Builder::Number(b), _) => b.append_null(),
            (Builder::TextList(b), _) => b.append(false),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Integer(b) => Arc::new(b.finish()),
            Builder::Number(b) => Arc::new(b.finish()),
            Builder::TextList(b) => Arc::new(b.finish()),
        }
    }
}

/// The decision columns of some rows, being built: one record batch.
pub struct DecisionBatch<'c> {
    columns: &'c DecisionColumns,
    builders: Vec<Builder>,
    /// The cells of the last decision (kept for its allocation).
    cells: Vec<Cell<'c>>,
}

impl<'c> DecisionBatch<'c> {
    /// For about `rows` decisions.
    pub fn new(columns: &'c DecisionColumns, rows: usize) -> Self {
        let builders = columns
            .columns()
            .iter()
            .map(|c| Builder::new(c.column_type, rows))
            .collect();
        DecisionBatch {
            columns,
            builders,
            cells: Vec::with_capacity(columns.columns().len()),
        }
    }

    /// Adds a decision's row.
    pub fn push(&mut self, d: &Decision) {
        let mut cells = recycle(std::mem::take(&mut self.cells));
        self.columns.cells(d, &mut cells);
        for (b, cell) in self.builders.iter_mut().zip(&cells) {
            b.push(cell);
        }
        self.cells = recycle(cells);
    }

    /// The record batch (`schema`: [`decision_schema`] of the same columns).
    pub fn finish(mut self, schema: &SchemaRef) -> Result<RecordBatch, ArrowError> {
        let columns = self.builders.iter_mut().map(Builder::finish).collect();
        RecordBatch::try_new(schema.clone(), columns)
    }
}

/// An emptied vector of cells, its allocation reused for cells that borrow
/// from another decision (the in-place `collect` keeps the buffer).
fn recycle<'b>(mut cells: Vec<Cell<'_>>) -> Vec<Cell<'b>> {
    cells.clear();
    cells.into_iter().map(|_| Cell::Null).collect()
}
