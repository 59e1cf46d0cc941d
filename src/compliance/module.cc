// Compliance module; files land here as they are written.
