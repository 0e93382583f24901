FROM python:3.11-slim-bookworm AS tesserocr
# The in-process OCR engine, compiled against Debian's libtesseract (the library behind the `tesseract`
# program below): PyPI's wheel bundles another Tesseract that reads cards differently (see the Makefile).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libtesseract-dev libleptonica-dev pkg-config g++ \
    && rm -rf /var/lib/apt/lists/*
RUN pip wheel --no-cache-dir --no-deps --no-binary tesserocr --wheel-dir /wheels tesserocr

FROM python:3.11-slim-bookworm

# The OCR engine and its language data, from Debian (the same list as TESSERACT_PACKAGES in the Makefile);
# tesseract-ocr brings libtesseract5, which the tesserocr built above links.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng tesseract-ocr-osd \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY --from=tesserocr /wheels /wheels
COPY pyproject.toml README.md ./
COPY pipeline ./pipeline
COPY models ./models
# The [queue] extra brings Celery and the Redis client for `cardscan worker` (docker-compose.yml).
RUN pip install --no-cache-dir /wheels/*.whl ".[queue]" && rm -rf /src /wheels \
    && python -c "import tesserocr, subprocess; lib = tesserocr.tesseract_version().split()[1]; \
prog = subprocess.run(['tesseract', '--version'], capture_output=True, text=True).stdout.split()[1]; \
assert lib == prog, f'tesserocr links libtesseract {lib}, the tesseract program is {prog}'"

RUN useradd --create-home --uid 1000 cardscan && mkdir -p /data && chown cardscan /data && chmod 700 /data
USER cardscan
WORKDIR /home/cardscan
ENV CARDSCAN_DB=sqlite:////data/contacts.db
VOLUME ["/data"]
ENTRYPOINT ["cardscan"]
CMD ["--help"]
