module example.com/demo/hello

go 1.21

require example.com/greeting v1.1.0
