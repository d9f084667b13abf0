"""The printed protocol and its scan: the PDF with a QR code of its figures (`printing`, `qr`),
the upload of the signed paper's scan and its check against the definitive protocol
(`service`), and scans for the demo (`demo`)."""
