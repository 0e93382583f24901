FROM python:3.11-slim-bookworm

# The OCR engine and its language data, from Debian (the same list as TESSERACT_PACKAGES in the Makefile).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-rus tesseract-ocr-eng tesseract-ocr-osd \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY pyproject.toml README.md ./
COPY pipeline ./pipeline
COPY models ./models
RUN pip install --no-cache-dir . && rm -rf /src

RUN useradd --create-home --uid 1000 cardscan && mkdir -p /data && chown cardscan /data && chmod 700 /data
USER cardscan
WORKDIR /home/cardscan
ENV CARDSCAN_DB=sqlite:////data/contacts.db
VOLUME ["/data"]
ENTRYPOINT ["cardscan"]
CMD ["--help"]
