enum TheodoiViewsPlaceholder {}
