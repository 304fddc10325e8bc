"""Static files are served precompressed (whitenoise: gzip and brotli made at collectstatic), except source maps,
which only a browser's developer tools fetch and which were most of collectstatic's compression work."""

from __future__ import annotations

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


def test_scripts_and_styles_are_compressed_and_source_maps_are_not() -> None:
    compressor = CompressedManifestStaticFilesStorage().create_compressor(
        extensions=settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS, quiet=True
    )
    for name in ("vendor/echarts.min.js", "css/console.css", "drf_spectacular_sidecar/redoc/bundles/x.js"):
        assert compressor.should_compress(name), name
    for name in ("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js.map", "img/logo.png"):
        assert not compressor.should_compress(name), name
