# Shared by bench/serve-ab.sh and bench/build-ab.sh (sourced, with $top,
# $bench and $size set): makes (once) the repository of $size pages and
# $size/2 commits that compare.sh uses, $site, and its two clones the
# binaries compared take turns on, $bench/ab-$size-1 and -2.
mkdir -p "$bench"
site=$bench/history-$size-$((size / 2))
. "$top/bench/corpus.sh"
corpus "$site" "$size" "$((size / 2))"
for k in 1 2; do
    [ -d "$bench/ab-$size-$k" ] || git clone -q "$site" "$bench/ab-$size-$k"
done
