line1
  line2

line4
