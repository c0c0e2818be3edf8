enum TheodoiWebPlaceholder {}
