// Runs the worked examples of the seed documents and prints each result beside
// an independently computed reference.
try seed000()
print()
try seed001()
print()
try seed002()
print()
try seed003()
print()
try seed004()
