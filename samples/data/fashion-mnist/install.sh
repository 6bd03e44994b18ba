#!/bin/sh
# Installs Fashion-MNIST (Zalando Research, MIT licence) for `MiniNet.Mnist --dataset fashion` and its tests, from
# Debian's package dataset-fashion-mnist, into /usr/share/datasets/fashion-mnist, then checks the four files.
# Nothing in MiniNet downloads it at run time: without it, `--dataset fashion` says how to install it and the
# Fashion-MNIST tests skip. Idempotent; needs root (or sudo) only when the package is not installed yet.
#
# Usage (from anywhere): sh samples/data/fashion-mnist/install.sh
set -eu

dir=/usr/share/datasets/fashion-mnist
if [ ! -f "$dir/t10k-labels-idx1-ubyte.gz" ]; then
  sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dataset-fashion-mnist
fi

# MD5s of the decompressed files (measured from dataset-fashion-mnist 0.0~git20200523.55506a9-1). Debian's .gz files
# carry no file name in their gzip headers, so their own MD5s differ from those in Zalando's README; compare these.
for entry in \
  f4a8712d7a061bf5bd6d2ca38dc4d50a:train-images-idx3-ubyte \
  9018921c3c673c538a1fc5bad174d6f9:train-labels-idx1-ubyte \
  8181f5470baa50b63fa0f6fddb340f0a:t10k-images-idx3-ubyte \
  15d484375f8d13e6eb1aabb0c3f46965:t10k-labels-idx1-ubyte; do
  sum=${entry%%:*} name=${entry#*:}
  actual=$(gzip -dc "$dir/$name.gz" | md5sum | cut -c1-32)
  if [ "$actual" != "$sum" ]; then
    echo "install.sh: $dir/$name.gz decompresses to MD5 $actual, expected $sum" >&2
    exit 1
  fi
done
echo "Fashion-MNIST: $dir (4 files, MD5s checked)"
