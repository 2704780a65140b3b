/* sesame-store-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's file, looked at before SQLite opens it and fixed after.
 * What can go wrong with the file itself is said here in words a school
 * office understands: a folder named instead of a file, a path mistyped,
 * a store on a network share (where desks would corrupt it), a file other
 * users may read. SQLite's locks on the file drop as soon as the process
 * closes any descriptor of it, so everything here works by path and never
 * opens the file.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-store"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "sesame-store-internal-private.h"

/* Network and cluster filesystems, by their statfs() magic (statfs(2),
 * <linux/magic.h>). FUSE covers sshfs, GlusterFS, s3fs, rclone and the
 * other filesystems served by a program, most of them remote. */
static const struct {
  guint32     magic;
  const char *name;
} network_filesystems[] = {
  { 0x00006969, "NFS" },
  { 0x0000517b, "SMB" },
  { 0xff534d42, "CIFS" },
  { 0xfe534d42, "SMB2" },
  { 0x65735546, "FUSE: sshfs, GlusterFS, rclone…" },
  { 0x5346414f, "AFS" },
  { 0x6b414653, "AFS" },
  { 0x00c36400, "Ceph" },
  { 0x01021997, "9P" },
  { 0x0bd00bd0, "Lustre" },
  { 0x73757245, "Coda" },
  { 0x0000564c, "NCP" },
  { 0x01161970, "GFS2" },
  { 0x7461636f, "OCFS2" },
  { 0x47504653, "GPFS" },
  { 0x20030528, "OrangeFS" },
  { 0xaad7aaea, "PanFS" },
};

/**
 * _sesame_store_network_filesystem:
 * @magic: the f_type that statfs() gives for a folder
 *
 * Returns: (nullable): the name of the network, cluster or FUSE filesystem
 *   @magic stands for, or %NULL for a filesystem of the desk's own disk
 */
const char *
_sesame_store_network_filesystem (guint32 magic)
{
  for (guint i = 0; i < G_N_ELEMENTS (network_filesystems); i++)
    if (network_filesystems[i].magic == magic)
      return network_filesystems[i].name;
  return NULL;
}

/**
 * _sesame_store_check_filesystem:
 * @path: the store's file
 * @magic: the statfs() f_type of the filesystem that holds it
 * @error: return location for a #GError
 *
 * SQLite's write-ahead log keeps its index in memory shared between the
 * processes of one computer: two desks that open a store on a share each
 * have their own, and overwrite each other's pages.
 *
 * Returns: %FALSE, with %SESAME_ERROR_REFUSED, for a store on a network
 *   or FUSE filesystem
 */
gboolean
_sesame_store_check_filesystem (const char  *path,
                                guint32      magic,
                                GError     **error)
{
  const char *name = _sesame_store_network_filesystem (magic);
  g_autofree char *suggestion = NULL;

  if (name == NULL)
    return TRUE;

  suggestion = sesame_store_default_path ();
  g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
               _("The store %s is on a network or FUSE filesystem (%s). Sésame keeps its store on the desk’s own disk: "
                 "its write-ahead log needs memory shared on one computer, and desks writing to one store on a share "
                 "corrupt it. Keep the store on this computer’s disk (for example %s); several desks cannot share "
                 "one store file."),
               path, name, suggestion);
  return FALSE;
}

/* statfs() of @path, or of its nearest existing folder when it does not
 * exist yet. */
static gboolean
check_filesystem (const char  *path,
                  GError     **error)
{
  g_autofree char *probe = g_strdup (path);
  struct statfs sfs;

  while (statfs (probe, &sfs) != 0)
    {
      char *parent;

      if (errno != ENOENT && errno != ENOTDIR)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot read the filesystem of the store %s: %s"), path, g_strerror (saved_errno));
          return FALSE;
        }
      parent = g_path_get_dirname (probe);
      if (g_str_equal (parent, probe))
        {
          g_free (parent);
          return TRUE;
        }
      g_free (probe);
      probe = parent;
    }

  return _sesame_store_check_filesystem (path, (guint32) sfs.f_type, error);
}

/**
 * _sesame_store_file_make_private:
 * @path: the store's file, opened by SQLite
 * @error: return location for a #GError
 *
 * A store holds first passwords: its owner alone may read it, and its log
 * and shared memory, which SQLite creates with the file's permissions.
 * By path only: a descriptor closed here would drop SQLite's locks.
 *
 * Returns: %FALSE, with %SESAME_ERROR_REFUSED, when a file others may
 *   read cannot be made private
 */
gboolean
_sesame_store_file_make_private (const char  *path,
                                 GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      GStatBuf st;

      if (g_stat (file, &st) != 0)
        continue;
      if ((st.st_mode & 0077) == 0)
        continue;
      if (g_chmod (file, st.st_mode & 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                       _("The store %s can be read by other users of this computer, and its permissions cannot be "
                         "changed (%s). It holds first passwords: make the file yours and readable by you alone "
                         "(chmod 600 %s)."),
                       path, g_strerror (saved_errno), file);
          return FALSE;
        }
      g_message ("The store file %s was readable by other users: it is now readable by its owner only.", file);
    }
  return TRUE;
}

/**
 * _sesame_store_file_check:
 * @path: the store's file
 * @create: whether a store that does not exist may be created
 * @exists: (out): whether the file exists
 * @error: return location for a #GError
 *
 * Before SQLite opens @path: a store that exists is a regular file; one
 * that does not may be created only when @create. Either way it must be
 * on the desk's own disk (_sesame_store_check_filesystem()).
 *
 * Returns: %FALSE, with @error set, when the store cannot be opened
 */
gboolean
_sesame_store_file_check (const char  *path,
                          gboolean     create,
                          gboolean    *exists,
                          GError     **error)
{
  GStatBuf st;

  *exists = g_stat (path, &st) == 0;
  if (!*exists && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot open the store %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  if (*exists && !S_ISREG (st.st_mode))
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_INVALID,
                   _("%s is not a Sésame store: it is a folder or a device, not a file. Name the store’s file."),
                   path);
      return FALSE;
    }

  if (!*exists && !create)
    {
      g_set_error (error, SESAME_ERROR, SESAME_ERROR_NO_STORE,
                   _("There is no store at %s. Check the path; a new store is created only by the first import "
                     "into it, or when it is the default store."),
                   path);
      return FALSE;
    }

  return check_filesystem (path, error);
}

/**
 * _sesame_store_file_create_folder:
 * @path: the file of a store about to be created
 * @error: return location for a #GError
 *
 * Creates the folder of a new store, private to its owner when it is new.
 *
 * Returns: %FALSE, with @error set, when the folder cannot be created
 */
gboolean
_sesame_store_file_create_folder (const char  *path,
                                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}
