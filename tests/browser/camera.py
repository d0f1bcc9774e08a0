"""A fake camera for Chromium: a Y4M video whose frames show a QR code, as a phone held up to a pass.

Chromium plays the file as its camera with --use-file-for-fake-video-capture, so the page's
scanner (getUserMedia + jsQR) reads a real QR code without any hardware.
"""

from __future__ import annotations

from pathlib import Path

import segno

WIDTH, HEIGHT = 640, 480
BLACK, WHITE = 16, 235  # video-range luma


def qr_video(text: str, path: Path, *, frames: int = 4) -> Path:
    matrix = segno.make(text, error="m", micro=False).matrix
    modules = len(matrix)
    scale = min(WIDTH, HEIGHT) * 8 // 10 // modules
    left, top = (WIDTH - modules * scale) // 2, (HEIGHT - modules * scale) // 2
    luma = bytearray([WHITE]) * (WIDTH * HEIGHT)
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            if not dark:
                continue
            for y in range(top + row * scale, top + (row + 1) * scale):
                start = y * WIDTH + left + column * scale
                luma[start : start + scale] = bytes([BLACK]) * scale
    chroma = bytes([128]) * (WIDTH * HEIGHT // 4)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * frames)
    return path
