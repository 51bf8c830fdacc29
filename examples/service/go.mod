module example.com/demo/service

go 1.21

require (
	example.com/unused v1.0.0
)
