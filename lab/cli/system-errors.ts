/**
 * A file-system error in the words a user reads: what went wrong, without Node's trailing
 * "<syscall> '<path>'", whose path is nnlab's own temporary or probe file (the caller names the
 * path the user gave). Shared by --out and nnlab export. Node only.
 */
export function systemReason(error: unknown, creating: 'a file' | 'a directory'): string {
  const { code, message } = error as NodeJS.ErrnoException;
  switch (code) {
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on device';
    case 'ENOTDIR': return 'a parent is not a directory';
    case 'EEXIST':
    case 'ENOTEMPTY': return 'it appeared while nnlab was writing';
    case 'ENOENT': return `${creating} cannot be created there`;
    default: return message.replace(/, \w+ '[^']*'( -> '[^']*')?$/, '');
  }
}
