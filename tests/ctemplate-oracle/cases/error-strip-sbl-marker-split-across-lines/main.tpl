a{{X}
}b
