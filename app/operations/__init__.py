"""Core operations: every user action is one function here, called by both faces.

The window (app/ui) and the command line (app/commands) call only these; neither
assembles an action itself (Electrum's commands, Anki's CollectionOp). An
operation takes plain values — an open `Store` for a quick edit, or the data
file's path for long work that runs in a worker and opens its own connection;
a `Period` rather than its id string — and returns an `Outcome`: its result and
the semantic `Change` it made, which the window broadcasts. Long operations
take `progress(done, total, label)` and a `cancel` event (models.long_work).
Secrets (passphrases, PINs) are arguments, asked for by the face, never stored.

Modules by area: `data_file` (create, demo, backup, restore), `plan` (items,
targets, rules, office, import, template), `period` (entries, closing),
`report` (PDF/xlsx files), `package` (signed packages, keys, USB copy),
`receive` (the receiving office).
"""
