"""Write one image of an MNIST IDX file as a grey PNG, with Python's standard library only.

    python3 scripts/mnist_png.py ../shared/data/mnist/t10k-images-idx3-ubyte.gz 0 digit.png

writes the first test image (a 7) to digit.png, the input docs/experiments.md gives
`cargo xtask visualize --feature-maps --image`.
"""

import gzip
import struct
import sys
import zlib


def read_image(path: str, index: int) -> tuple[int, int, bytes]:
    """The `index`-th image of an IDX3 file (gzipped or not): width, height, pixels."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 2051:
            sys.exit(f"{path}: not an IDX image file (magic {magic}, expected 2051)")
        if not 0 <= index < count:
            sys.exit(f"{path}: holds {count} images; index {index} is outside 0..{count - 1}")
        f.seek(16 + index * rows * cols)
        return cols, rows, f.read(rows * cols)


def png(width: int, height: int, grey: bytes) -> bytes:
    """An 8-bit greyscale PNG of the row-major `grey` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + grey[y * width:(y + 1) * width] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    source, index, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(out, "wb") as f:
        f.write(png(*read_image(source, index)))
    print(f"wrote image {index} of {source} to {out}")
