"""Print the manifest a family's export writes, without ``files``.

Usage: ``/usr/bin/python3 -m models.toolchain.describe --family F``
"""
import argparse
import json
import sys
from typing import List, Optional

from .families import Family, manifest_body


def main(argv: Optional[List[str]] = None) -> int:
    """Write the manifest body as JSON to stdout."""
    parser = argparse.ArgumentParser(prog='describe')
    parser.add_argument('--family', required=True,
                        choices=[f.value for f in Family])
    parser.add_argument('--version', default='unexported')
    args = parser.parse_args(argv)
    body = manifest_body(Family(args.family), args.version)
    sys.stdout.write(json.dumps(body, indent=2) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
