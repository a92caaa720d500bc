# charter in a container: `docker build -t charter .`, then, in a policy
# repository, `docker run --rm -v "$PWD:/site" charter check`
# (docs/packaging.md). Debian 12 like the rest of the project: the build
# stage compiles with the -dev packages and `make install`, the runtime
# stage has only the shared libraries, git and ca-certificates.

FROM debian:12-slim AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gcc make pkg-config \
        libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libgit2-dev \
        libutf8proc-dev nettle-dev libxxhash-dev libdeflate-dev libmicrohttpd-dev libgpgme-dev libjansson-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The binary, and whatever else make install puts beside it (man page,
# completions), staged in /out/usr/local.
RUN make BUILD=build-image all \
    && make BUILD=build-image install DESTDIR=/out PREFIX=/usr/local

FROM debian:12-slim
# The libraries charter links (what dpkg-shlibdeps finds for debian/),
# git for the history of the mounted repository, ca-certificates for git
# over HTTPS.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libcmark-gfm0.29.0.gfm.6 libcmark-gfm-extensions0.29.0.gfm.6 libyaml-0-2 \
        libgit2-1.5 libutf8proc2 libnettle8 libxxhash0 libdeflate0 libmicrohttpd12 libgpgme11 libjansson4 \
        git ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/usr/local/ /usr/local/
# The mounted repository belongs to the host's user, not to this image's:
# without this, git (and libgit2) refuse it as "dubious ownership" and
# charter finds no history.
RUN git config --system --add safe.directory /site \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin charter
USER charter
WORKDIR /site
ENTRYPOINT ["charter"]
CMD ["--help"]
