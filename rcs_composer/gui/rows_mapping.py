"""The mapping editor: which column fills each ``{{variable}}``, and which holds the number."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.app.rows import ColumnMap
from rcs_composer.gui.widgets import give_labels_mnemonics
from rcs_composer.services.row_files import RowTable

NO_COLUMN = "(no column)"


class MappingDialog(QDialog):
    """One choice of column per variable, preset to the current mapping."""

    def __init__(self, table: RowTable, mapping: ColumnMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Map columns to variables")
        self.table, self.mapping = table, mapping
        self.choices: dict[str, QComboBox] = {}
        form = QFormLayout()
        for name, column in mapping.variables.items():
            box = self._column_box(f"Column for {name}", column)
            form.addRow(f"{{{{{name}}}}}", box)
            self.choices[name] = box
        self.recipient = self._column_box("Column of recipient numbers", mapping.recipient)
        form.addRow("Recipient number", self.recipient)
        intro = QLabel(
            f"{table.source}: row 1 names the columns. A variable without a column goes out "
            "with its braces, so every row is an error until it has one.",
            self,
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        give_labels_mnemonics(self, set())  # Alt+letter reaches each column choice

    def _column_box(self, accessible: str, column: int | None) -> QComboBox:
        box = QComboBox(self)
        box.setAccessibleName(accessible)
        box.addItem(NO_COLUMN, None)
        for index, name in enumerate(self.table.columns):
            box.addItem(f"{self.table.column_letter(index)}: {name}", index)
        box.setCurrentIndex(0 if column is None else column + 1)
        return box

    def result_mapping(self) -> ColumnMap:
        variables = {name: box.currentData() for name, box in self.choices.items()}
        return ColumnMap(variables, self.recipient.currentData())
