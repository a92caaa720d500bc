top
  {{>A}}
end
