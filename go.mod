module github.com/neuromass/neuromass

go 1.26
