package dev.sigil.cli;

/**
 * Hears how a {@link FileHasher} job advances, to show it. {@link #start} and {@link #finish} come from the thread
 * that called {@link FileHasher#hash}, {@link #advance} from the hashing threads (several at once): implementations
 * must be thread-safe there, and cheap, since it is called for every buffer read.
 */
interface HashProgress {
  /** Nothing shown. */
  HashProgress NONE = new HashProgress() {
    @Override
    public void start(int files, long totalBytes) {}

    @Override
    public void advance(long bytes) {}

    @Override
    public void finish() {}
  };

  /** Hashing begins: {@code files} files of {@code totalBytes} bytes in all (their sizes before reading). */
  void start(int files, long totalBytes);

  /** {@code bytes} more bytes were hashed. */
  void advance(long bytes);

  /** Hashing ended, whether or not it succeeded: whatever was displayed is removed. Called once, after start. */
  void finish();
}
