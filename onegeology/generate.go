package onegeology

// countries.go is generated from an M49 table; see internal/gencountries.
//go:generate go run ./internal/gencountries -o countries.go
