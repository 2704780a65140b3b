/* sesame-demo-directory.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SesameDemoDirectoryFlags:
 * @SESAME_DEMO_DIRECTORY_FLAGS_NONE: one set of files per establishment,
 *   `ENT_<UAI>_Complet_<date>_<Kind>_0000.xml`
 * @SESAME_DEMO_DIRECTORY_ACADEMY_WIDE: one academy-wide set,
 *   `FULL_ENTTSSERVICES_Complet_<date>_<Kind>_<NNNN>.xml`, split in chunks
 *
 * How the demo directory writer lays out the files it writes.
 */
typedef enum
{
  SESAME_DEMO_DIRECTORY_FLAGS_NONE   = 0,
  SESAME_DEMO_DIRECTORY_ACADEMY_WIDE = 1 << 0,
} SesameDemoDirectoryFlags;

/**
 * SesameDemoDirectoryOptions:
 * @n_establishments: how many establishments (1 to 10,000)
 * @n_pupils: how many pupils in the whole academy (at most 1,000,000),
 *   shared out between the establishments
 * @seed: the same seed always writes the same bytes
 * @flags: #SesameDemoDirectoryFlags
 * @chunk_records: academy-wide sets: records per file (0: 20,000)
 * @date: the export date `YYYYMMDD` in file names; it also sets the school
 *   year, hence the pupils' ages (%NULL: 20240902)
 *
 * What sesame_demo_directory_write_full() writes. Initialise with
 * sesame_demo_directory_options_init().
 */
typedef struct
{
  guint                     n_establishments;
  guint                     n_pupils;
  guint32                   seed;
  SesameDemoDirectoryFlags  flags;
  guint                     chunk_records;
  const char               *date;
} SesameDemoDirectoryOptions;

/**
 * SesameDemoDirectoryCounts:
 * @establishments: EtabEducNat records
 * @subjects: distinct subjects (MatiereEducNat)
 * @pupils: pupils (Eleve)
 * @parents: distinct guardians (PersRelEleve)
 * @staff: staff (PersEducNat)
 * @guardian_links: distinct pupil–guardian links
 * @records: records written, counting a guardian or subject once per file
 *   that lists it
 * @files: files written
 * @bytes: bytes written
 *
 * What a demo directory holds.
 */
typedef struct
{
  guint   establishments;
  guint   subjects;
  guint   pupils;
  guint   parents;
  guint   staff;
  guint   guardian_links;
  guint   records;
  guint   files;
  guint64 bytes;
} SesameDemoDirectoryCounts;

void     sesame_demo_directory_options_init (SesameDemoDirectoryOptions       *options);

gboolean sesame_demo_directory_write        (const char                       *folder,
                                             guint                             n_establishments,
                                             guint                             n_pupils,
                                             guint32                           seed,
                                             GCancellable                     *cancellable,
                                             GError                          **error);
gboolean sesame_demo_directory_write_full   (const char                       *folder,
                                             const SesameDemoDirectoryOptions *options,
                                             SesameDemoDirectoryCounts        *counts,
                                             GCancellable                     *cancellable,
                                             GError                          **error);

G_END_DECLS
