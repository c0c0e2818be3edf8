enum TheodoiAppPlaceholder {}
