a{
{X}}b
a {
} b
c{
  {X}}
