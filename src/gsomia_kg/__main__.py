"""Allow ``python -m gsomia_kg``."""

from gsomia_kg.cli import main

if __name__ == "__main__":
    main()
