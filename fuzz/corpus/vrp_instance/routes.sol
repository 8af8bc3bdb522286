Route #1: 1 2
Route #2: 2
Cost 20
