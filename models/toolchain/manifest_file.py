"""Writing ``manifest.json`` beside the ONNX files it describes."""
import hashlib
import json
import logging
from pathlib import Path
from typing import Any, Dict

logger = logging.getLogger(__name__)

#: Name of the manifest in a model folder.
MANIFEST_NAME = 'manifest.json'
#: Bytes read at a time while hashing.
HASH_CHUNK = 1 << 20


def file_entry(folder: Path, relative: str) -> Dict[str, Any]:
    """``{path, size, sha256}`` of ``folder / relative``.

    Raises
    ------
    FileNotFoundError
        If the file is not there.
    """
    path = folder / relative
    digest = hashlib.sha256()
    with path.open('rb') as stream:
        for chunk in iter(lambda: stream.read(HASH_CHUNK), b''):
            digest.update(chunk)
    return {
        'path': relative, 'size': path.stat().st_size,
        'sha256': digest.hexdigest(),
    }


def write_manifest(
    folder: Path, body: Dict[str, Any], encoder: str, decoder: str
) -> Path:
    """Write ``body`` plus the two files' sizes and checksums.

    Parameters
    ----------
    folder : Path
        The model folder; file paths in the manifest are relative to it.
    body : dict
        The manifest without ``files``.
    encoder, decoder : str
        File names of the two graphs inside ``folder``.

    Returns
    -------
    Path
        The manifest written.

    Raises
    ------
    FileNotFoundError
        If either file is missing.
    """
    manifest = dict(body)
    manifest['files'] = {
        'encoder': file_entry(folder, encoder),
        'decoder': file_entry(folder, decoder),
    }
    path = folder / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2) + '\n')
    logger.info('wrote %s', path)
    return path
