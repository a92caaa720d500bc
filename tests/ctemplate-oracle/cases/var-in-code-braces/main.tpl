function f() { return {{V}}; } {x:{y:{{V}}}}
