#!/usr/bin/env python3
"""A scanned copy of a PDF, as an office receives the signed paper: every page rasterised by poppler
at 200 dpi in grey (no text layer), turned by a small angle as a page lies on a scanner, on a
slightly grey paper, a little soft, stored as JPEG pages of a new PDF (Pillow).

    make_scan.py INPUT.pdf OUTPUT.pdf [--pages N] [--quality Q]
    make_scan.py INPUT.pdf OUTPUT.jpg|OUTPUT.png --pages 1     (the first page as a photo or an image file)

The angles come from a fixed seed, so the same input gives the same scan.
"""
import argparse
import glob
import os
import random
import subprocess
import tempfile

from PIL import Image, ImageFilter


def main():
    arguments = argparse.ArgumentParser()
    arguments.add_argument("input")
    arguments.add_argument("output")
    arguments.add_argument("--pages", type=int, default=0, help="only the first N pages")
    arguments.add_argument("--quality", type=int, default=55, help="JPEG quality of the pages")
    arguments.add_argument("--dpi", type=int, default=200)
    options = arguments.parse_args()
    rng = random.Random(343)
    with tempfile.TemporaryDirectory() as work:
        command = ["pdftoppm", "-r", str(options.dpi), "-gray"]
        if options.pages:
            command += ["-l", str(options.pages)]
        subprocess.run(command + [options.input, os.path.join(work, "page")], check=True)
        pages = []
        for path in sorted(glob.glob(os.path.join(work, "page-*.pgm"))):
            image = Image.open(path)
            # Paper a little grey, ink not quite black, the sensor's softness.
            image = image.point(lambda value: 40 + value * (232 - 40) // 255)
            image = image.filter(ImageFilter.GaussianBlur(0.6))
            angle = rng.uniform(-1.2, 1.2)
            image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=232)
            pages.append(image)
        if options.output.lower().endswith((".jpg", ".jpeg")):
            pages[0].save(options.output, quality=options.quality, dpi=(options.dpi, options.dpi))
        elif options.output.lower().endswith(".png"):
            pages[0].save(options.output, dpi=(options.dpi, options.dpi))
        else:
            pages[0].save(
                options.output, save_all=True, append_images=pages[1:], resolution=options.dpi, quality=options.quality)
    print(f"{options.output}: {len(pages)} pages")


if __name__ == "__main__":
    main()
