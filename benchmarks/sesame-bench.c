/* sesame-bench.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The core's speed at academy scale. Prints figures beside their targets and
 * never fails because a machine is slow:
 *
 * 1. import: generates an academy-wide directory (100,000 pupils with their
 *    guardians and staff: about 240,000 persons, 440 MB of XML) and imports
 *    it into a fresh store, in a child process so that only the import's
 *    memory counts: persons per second (target ≥ 30,000) and peak memory
 *    (VmHWM, target < 200 MB);
 * 2. search: grows that store to 1,000,000 persons by copying the imported
 *    ones with SQL (sesame_store_grower_clone_persons(): new keys, rotated
 *    first names, logins by the store's rule, copies of the establishments
 *    with their own UAIs), then times searches as typed at a desk, built
 *    from persons drawn at random: p50 and p95 (target p95 < 10 ms);
 * 3. identifier file: imports one establishment large enough for 50,000
 *    distributable accounts into another store, then times
 *    sesame_identifier_files_generate(), which records the file and
 *    measures it, and sesame_identifier_files_render(), which writes
 *    it out for an export: each is a step a secretary waits for (target
 *    < 0.5 s each).
 *
 * `--pupils`, `--search-persons` and `--file-accounts` scale it down for a
 * quick run; `--files-only` measures the identifier file alone,
 * `--search-store` the searches alone on a store grown before; `--keep`
 * leaves the work folder behind.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sesame.h"
#include "sesame-demo-directory.h"
#include "sesame-store-grower.h"

#define TARGET_PERSONS_PER_SECOND 30000.0
#define TARGET_PEAK_MB            200.0
#define TARGET_SEARCH_P95_MS      10.0
#define TARGET_FILE_SECONDS       0.5

static int     opt_pupils = 100000;
static int     opt_establishments = 0;
static int     opt_search_persons = 1000000;
static int     opt_file_accounts = 50000;
static int     opt_queries = 50;
static gint64  opt_seed = 2024;
static char   *opt_workdir = NULL;
static gboolean opt_keep = FALSE;
static gboolean opt_files_only = FALSE;
static char   *opt_search_store = NULL;
static gboolean opt_verbose = FALSE;
static char  **opt_import_child = NULL;

static GOptionEntry entries[] = {
  { "pupils", 0, 0, G_OPTION_ARG_INT, &opt_pupils, "Pupils in the generated academy (default 100000)", "N" },
  { "establishments", 0, 0, G_OPTION_ARG_INT, &opt_establishments, "Establishments (default: one per 1,000 pupils)", "N" },
  { "search-persons", 0, 0, G_OPTION_ARG_INT, &opt_search_persons, "Persons in the store searched (default 1000000)", "N" },
  { "file-accounts", 0, 0, G_OPTION_ARG_INT, &opt_file_accounts, "Accounts in the identifier file (default 50000)", "N" },
  { "queries", 0, 0, G_OPTION_ARG_INT, &opt_queries, "Searches of each kind (default 50)", "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, "Seed of the generated directories (default 2024)", "S" },
  { "workdir", 0, 0, G_OPTION_ARG_FILENAME, &opt_workdir, "Work in this folder instead of a temporary one", "DIR" },
  { "keep", 0, 0, G_OPTION_ARG_NONE, &opt_keep, "Keep the work folder", NULL },
  { "files-only", 0, 0, G_OPTION_ARG_NONE, &opt_files_only, "Measure the identifier file only", NULL },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, "Print the slowest search of each kind", NULL },
  { "search-store", 0, 0, G_OPTION_ARG_FILENAME, &opt_search_store, "Measure the searches only, on this store", "PATH" },
  { "import-child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME_ARRAY, &opt_import_child, NULL, NULL },
  { NULL }
};

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    {
      g_printerr ("sesame-bench: %s\n", error ? error->message : "failed");
      exit (1);
    }
}

static double
now_seconds (void)
{
  return g_get_monotonic_time () / 1e6;
}

static void
phase (const char *format,
       ...) G_GNUC_PRINTF (1, 2);

static void
phase (const char *format,
       ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("… %s\n", message);
}

static const char *
verdict (gboolean met)
{
  return met ? "met" : "MISSED";
}

/* Peak resident memory of this process, in kB (VmHWM). */
static long
peak_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;
  struct rusage usage;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
      (line = strstr (status, "VmHWM:")) != NULL)
    return strtol (line + 6, NULL, 10);
  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static long
current_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) &&
      (line = strstr (status, "VmRSS:")) != NULL)
    return strtol (line + 6, NULL, 10);
  return 0;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK) &&
      (dir = g_dir_open (path, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }
  g_remove (path);
}

/* The child: imports a folder into a store and reports on stdout. */
static int
import_child (const char *store_path,
              const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) store = sesame_store_open (store_path, &error);
  g_autoptr(SesameImportSummary) summary = NULL;
  const char *paths[] = { folder, NULL };
  long before_kb;
  double start, seconds;

  check (store != NULL, error);
  before_kb = current_kb ();

  start = now_seconds ();
  summary = sesame_import_run (store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  seconds = now_seconds () - start;
  check (summary != NULL, error);

  g_print ("seconds=%.3f\n", seconds);
  g_print ("files=%u\n", summary->files);
  g_print ("pupils=%u\n", summary->pupils);
  g_print ("parents=%u\n", summary->parents);
  g_print ("staff=%u\n", summary->staff);
  g_print ("persons_created=%u\n", summary->persons_created);
  g_print ("accounts_created=%u\n", summary->accounts_created);
  g_print ("warnings=%u\n", summary->warnings ? summary->warnings->len : 0);
  g_print ("before_kb=%ld\n", before_kb);
  g_print ("peak_kb=%ld\n", peak_kb ());

  /* Closing waits for the import's pages to be copied into the database
   * file, which goes on in the background once the import has returned. */
  g_clear_object (&store);
  g_print ("written_seconds=%.3f\n", now_seconds () - start);
  return 0;
}

static GHashTable *
run_import_child (const char *self_path,
                  const char *store_path,
                  const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            self_path, "--import-child", store_path, "--import-child", folder, NULL);
  check (child != NULL, error);
  check (g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error), error);
  if (!g_subprocess_get_successful (child))
    {
      g_printerr ("sesame-bench: the import failed\n");
      exit (1);
    }

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *equal = strchr (lines[i], '=');

      if (equal != NULL)
        g_hash_table_insert (values, g_strndup (lines[i], equal - lines[i]), g_strdup (equal + 1));
    }
  return values;
}

static double
value_of (GHashTable *values,
          const char *key)
{
  const char *text = g_hash_table_lookup (values, key);
  return text ? g_ascii_strtod (text, NULL) : 0;
}

/* Searches -------------------------------------------------------------- */

typedef enum
{
  QUERY_PREFIX,           /* "mar" */
  QUERY_LAST_NAME,        /* "martin" */
  QUERY_FIRST_LAST,       /* "emma martin" */
  QUERY_LAST_FIRST_START, /* "martin em" */
  QUERY_FIRST_NAME,       /* "emma" */
  QUERY_LOGIN,            /* "emma.martin12" */
  QUERY_NAME_IN_SCHOOL,   /* last name field, establishment UAI */
  QUERY_CLASS_IN_SCHOOL,  /* class field, establishment UAI */
  N_QUERY_KINDS
} QueryKind;

static const char * const query_labels[N_QUERY_KINDS] = {
  "3-letter prefix      (\"mar\")",
  "last name            (\"martin\")",
  "first and last name  (\"emma martin\")",
  "last name, first starts (\"martin em\")",
  "first name           (\"emma\")",
  "login                (\"emma.martin12\")",
  "last name + establishment",
  "class + establishment",
};

typedef struct
{
  char *first;
  char *last;
  char *login;
  char *uai;
  char *klass;
} Sample;

static void
sample_clear (Sample *sample)
{
  g_free (sample->first);
  g_free (sample->last);
  g_free (sample->login);
  g_free (sample->uai);
  g_free (sample->klass);
}

static char *
utf8_prefix (const char *text,
             glong       n_chars)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  const char *end = lower;

  for (glong i = 0; i < n_chars && *end != '\0'; i++)
    end = g_utf8_next_char (end);
  return g_strndup (lower, end - lower);
}

/* Persons drawn at random, with what a desk would type to find them. */
static GArray *
draw_samples (SesameStore *store,
              guint        n,
              guint32      seed)
{
  sqlite3 *db = _sesame_store_get_db (store);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  GArray *samples = g_array_new (FALSE, TRUE, sizeof (Sample));
  sqlite3_stmt *max_stmt = NULL, *stmt = NULL;
  sqlite3_int64 max_rowid;

  g_array_set_clear_func (samples, (GDestroyNotify) sample_clear);
  sqlite3_prepare_v2 (db, "SELECT max(rowid) FROM persons", -1, &max_stmt, NULL);
  sqlite3_step (max_stmt);
  max_rowid = sqlite3_column_int64 (max_stmt, 0);
  sqlite3_finalize (max_stmt);

  sqlite3_prepare_v2 (db,
                      "SELECT p.first_name, p.last_name, a.login,"
                      " (SELECT e.uai FROM memberships m JOIN establishments e ON e.jointure = m.structure"
                      "  WHERE m.person_key = p.key AND m.kind = 'class'),"
                      " (SELECT m.code FROM memberships m WHERE m.person_key = p.key AND m.kind = 'class')"
                      " FROM persons p JOIN accounts a ON a.person_key = p.key"
                      " WHERE p.rowid = ? AND p.profile = 1",
                      -1, &stmt, NULL);
  while (samples->len < n)
    {
      sqlite3_bind_int64 (stmt, 1, 1 + g_rand_int_range (rand, 0, (gint32) max_rowid));
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 3) != SQLITE_NULL)
        {
          Sample sample = {
            g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
            g_strdup ((const char *) sqlite3_column_text (stmt, 1)),
            g_strdup ((const char *) sqlite3_column_text (stmt, 2)),
            g_strdup ((const char *) sqlite3_column_text (stmt, 3)),
            g_strdup ((const char *) sqlite3_column_text (stmt, 4)),
          };
          g_array_append_val (samples, sample);
        }
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  return samples;
}

static SesameSearchQuery *
make_query (QueryKind     kind,
            const Sample *sample)
{
  SesameSearchQuery *query = sesame_search_query_new ();
  g_autofree char *last = g_utf8_strdown (sample->last, -1);
  g_autofree char *first = g_utf8_strdown (sample->first, -1);
  g_autofree char *first_start = utf8_prefix (sample->first, 2);

  switch (kind)
    {
    case QUERY_PREFIX:
      query->text = utf8_prefix (sample->last, 3);
      break;
    case QUERY_LAST_NAME:
      query->text = g_strdup (last);
      break;
    case QUERY_FIRST_LAST:
      query->text = g_strdup_printf ("%s %s", first, last);
      break;
    case QUERY_LAST_FIRST_START:
      query->text = g_strdup_printf ("%s %s", last, first_start);
      break;
    case QUERY_FIRST_NAME:
      query->text = g_strdup (first);
      break;
    case QUERY_LOGIN:
      query->text = g_strdup (sample->login);
      break;
    case QUERY_NAME_IN_SCHOOL:
      query->last_name = g_strdup (last);
      query->establishment = g_strdup (sample->uai);
      break;
    case QUERY_CLASS_IN_SCHOOL:
      query->class_name = g_strdup (sample->klass);
      query->establishment = g_strdup (sample->uai);
      break;
    case N_QUERY_KINDS:
    default:
      g_assert_not_reached ();
    }
  return query;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint index;

  if (sorted->len == 0)
    return 0;
  index = (guint) (p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, MIN (index, sorted->len - 1));
}

/* Runs every query kind on the samples; returns the overall p95 in ms. */
static double
bench_search (SesameStore *store,
              guint        per_kind,
              guint32      seed)
{
  g_autoptr(GArray) samples = draw_samples (store, per_kind, seed);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) typed = g_array_new (FALSE, FALSE, sizeof (double));
  double p50, p95;

  /* Warm the caches the way a desk does after opening the store. */
  for (guint i = 0; i < MIN (per_kind, 10u); i++)
    {
      g_autoptr(SesameSearchQuery) query = make_query (QUERY_FIRST_LAST, &g_array_index (samples, Sample, i));
      g_autoptr(GListModel) results = sesame_search_run (store, query, NULL, NULL);
    }

  g_print ("  %-42s %8s %8s %8s %9s\n", "query", "p50 ms", "p95 ms", "max ms", "results");
  for (QueryKind kind = 0; kind < N_QUERY_KINDS; kind++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autofree char *slowest = NULL;
      double slowest_ms = -1;
      guint64 results_total = 0;

      for (guint i = 0; i < samples->len; i++)
        {
          g_autoptr(SesameSearchQuery) query = make_query (kind, &g_array_index (samples, Sample, i));
          g_autoptr(GListModel) results = NULL;
          g_autoptr(GError) error = NULL;
          double start = now_seconds (), ms;

          results = sesame_search_run (store, query, NULL, &error);
          check (results != NULL, error);
          /* What a results list reads of each row. */
          for (guint r = 0; r < g_list_model_get_n_items (results); r++)
            {
              g_autoptr(SesamePerson) person = g_list_model_get_item (results, r);
              (void) sesame_person_get_login (person);
            }
          ms = (now_seconds () - start) * 1000.0;
          if (ms > slowest_ms)
            {
              Sample *sample = &g_array_index (samples, Sample, i);

              slowest_ms = ms;
              g_free (slowest);
              slowest = g_strdup_printf ("%s | %s | %s | %s", sample->first, sample->last,
                                         sample->uai, sample->klass);
            }
          g_array_append_val (times, ms);
          g_array_append_val (all, ms);
          if (kind <= QUERY_LOGIN)
            g_array_append_val (typed, ms);
          results_total += g_list_model_get_n_items (results);
        }
      g_array_sort (times, compare_doubles);
      g_print ("  %-42s %8.2f %8.2f %8.2f %9.1f\n", query_labels[kind],
               percentile (times, 0.5), percentile (times, 0.95),
               g_array_index (times, double, times->len - 1),
               (double) results_total / samples->len);
      if (opt_verbose)
        g_print ("    slowest: %s\n", slowest);
    }

  g_array_sort (typed, compare_doubles);
  g_print ("  %-42s %8.2f %8.2f %8.2f\n", "text typed in the search box (first six)",
           percentile (typed, 0.5), percentile (typed, 0.95), g_array_index (typed, double, typed->len - 1));
  g_array_sort (all, compare_doubles);
  p50 = percentile (all, 0.5);
  p95 = percentile (all, 0.95);
  g_print ("  %-42s %8.2f %8.2f %8.2f\n", "all searches", p50, p95, g_array_index (all, double, all->len - 1));
  return p95;
}

/* The parts --------------------------------------------------------------- */

static char *
self_path (const char *argv0)
{
  char *path = g_file_read_link ("/proc/self/exe", NULL);
  return path ? path : g_strdup (argv0);
}

static void
print_machine (void)
{
  g_autofree char *cpuinfo = NULL;
  g_autofree char *model = NULL;
  const char *line;

  if (g_file_get_contents ("/proc/cpuinfo", &cpuinfo, NULL, NULL) &&
      (line = strstr (cpuinfo, "model name")) != NULL)
    {
      const char *colon = strchr (line, ':');
      const char *end = strchr (line, '\n');

      if (colon != NULL && end != NULL && colon < end)
        model = g_strstrip (g_strndup (colon + 1, end - colon - 1));
    }
  g_print ("Machine: %u CPU(s)%s%s, SQLite %s, GLib %u.%u.%u\n", g_get_num_processors (),
           model ? ", " : "", model ? model : "", sqlite3_libversion (),
           glib_major_version, glib_minor_version, glib_micro_version);
}

static void
bench_import_and_search (const char *self,
                         const char *workdir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (workdir, "academy", NULL);
  g_autofree char *store_path = g_build_filename (workdir, "academy.db", NULL);
  g_autofree char *size = NULL;
  g_autoptr(GHashTable) result = NULL;
  g_autoptr(SesameStore) store = NULL;
  SesameDemoDirectoryOptions options;
  SesameDemoDirectoryCounts counts;
  double start, seconds, rate, peak_mb, before_mb, p95;
  guint persons;

  sesame_demo_directory_options_init (&options);
  options.n_pupils = opt_pupils;
  options.n_establishments = opt_establishments > 0 ? opt_establishments : MAX (1, opt_pupils / 1000);
  options.seed = (guint32) opt_seed;
  options.flags = SESAME_DEMO_DIRECTORY_ACADEMY_WIDE;

  phase ("writing an academy-wide directory of %d pupils", opt_pupils);
  start = now_seconds ();
  check (sesame_demo_directory_write_full (folder, &options, &counts, NULL, &error), error);
  seconds = now_seconds () - start;
  size = g_format_size (counts.bytes);
  persons = counts.pupils + counts.parents + counts.staff;

  g_print ("\nDirectory (FULL_ENTTSSERVICES_Complet, %u files): %u establishments, %u pupils, "
           "%u guardians, %u staff = %u persons, %s of XML, written in %.1f s\n",
           counts.files, counts.establishments, counts.pupils, counts.parents, counts.staff,
           persons, size, seconds);

  phase ("importing it into a fresh store (child process)");
  result = run_import_child (self, store_path, folder);
  seconds = value_of (result, "seconds");
  rate = value_of (result, "persons_created") / MAX (seconds, 1e-6);
  peak_mb = value_of (result, "peak_kb") / 1024.0;
  before_mb = value_of (result, "before_kb") / 1024.0;

  g_print ("\nImport\n");
  g_print ("  records read: %.0f pupils, %.0f guardians, %.0f staff; %.0f persons created, "
           "%.0f accounts, %.0f warnings\n",
           value_of (result, "pupils"), value_of (result, "parents"), value_of (result, "staff"),
           value_of (result, "persons_created"), value_of (result, "accounts_created"),
           value_of (result, "warnings"));
  g_print ("  time                 %8.2f s     (database file up to date %.2f s later, in the background)\n",
           seconds, MAX (value_of (result, "written_seconds") - seconds, 0.0));
  g_print ("  persons per second   %8.0f     target ≥ %.0f   %s\n", rate, TARGET_PERSONS_PER_SECOND,
           verdict (rate >= TARGET_PERSONS_PER_SECOND));
  g_print ("  peak memory (VmHWM)  %8.1f MB  target < %.0f MB  %s  (%.1f MB before the import)\n",
           peak_mb, TARGET_PEAK_MB, verdict (peak_mb < TARGET_PEAK_MB), before_mb);

  /* Grow the store to the size searched. */
  store = sesame_store_open (store_path, &error);
  check (store != NULL, error);
  phase ("copying persons until the store holds %d", opt_search_persons);
  start = now_seconds ();
  check (sesame_store_grower_clone_persons (store, opt_search_persons, NULL, &error), error);
  g_print ("\nSearch on a store of %d persons (grown by copying the imported ones in %.1f s; "
           "%d searches of each kind, default limit)\n",
           opt_search_persons, now_seconds () - start, opt_queries);
  phase ("searching");
  p95 = bench_search (store, opt_queries, (guint32) opt_seed);
  g_print ("  p95 %.2f ms, target < %.0f ms: %s\n", p95, TARGET_SEARCH_P95_MS,
           verdict (p95 < TARGET_SEARCH_P95_MS));
}

static void
bench_identifier_file (const char *workdir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_build_filename (workdir, "school", NULL);
  g_autofree char *store_path = g_build_filename (workdir, "school.db", NULL);
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(SesameImportSummary) summary = NULL;
  g_autoptr(GPtrArray) establishments = NULL;
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *size = NULL;
  const char *paths[] = { folder, NULL };
  SesameDemoDirectoryOptions options;
  SesameDemoDirectoryCounts counts;
  double start, generate_s, render_s;
  guint pupils;

  /* Pupils and their distinct guardians make the distributable accounts:
   * a first directory gives the ratio, a second one the right size. */
  pupils = (guint) (opt_file_accounts / 2.33);
  sesame_demo_directory_options_init (&options);
  options.n_establishments = 1;
  options.seed = (guint32) opt_seed + 1;
  for (guint attempt = 0; ; attempt++)
    {
      guint better;

      options.n_pupils = pupils;
      check (sesame_demo_directory_write_full (folder, &options, &counts, NULL, &error), error);
      better = (guint) ((double) pupils * opt_file_accounts / (counts.pupils + counts.parents) + 0.5);
      if (attempt == 1 || better == pupils)
        break;
      remove_tree (folder);
      pupils = better;
    }
  phase ("importing one establishment of %u pupils", counts.pupils);

  store = sesame_store_open (store_path, &error);
  check (store != NULL, error);
  summary = sesame_import_run (store, paths, NULL, SESAME_IMPORT_FLAGS_NONE, NULL, NULL, NULL, &error);
  check (summary != NULL, error);
  establishments = sesame_establishments_list (store, &error);
  check (establishments != NULL && establishments->len == 1, error);

  phase ("generating the identifier file");
  start = now_seconds ();
  file = sesame_identifier_files_generate (store,
                                           ((SesameEstablishment *) g_ptr_array_index (establishments, 0))->uai,
                                           0, &error);
  generate_s = now_seconds () - start;
  check (file != NULL, error);
  start = now_seconds ();
  csv = sesame_identifier_files_render (store, file->id, &error);
  render_s = now_seconds () - start;
  check (csv != NULL, error);
  size = g_format_size (g_bytes_get_size (csv));

  g_print ("\nIdentifier file of %u accounts (%u pupils, %u guardians; %s of CSV)\n",
           file->accounts, counts.pupils, counts.parents, size);
  g_print ("  generate (records the file and measures it)  %6.3f s  target < %.1f s  %s\n", generate_s,
           TARGET_FILE_SECONDS, verdict (generate_s < TARGET_FILE_SECONDS));
  g_print ("  export (writes out the CSV)                   %6.3f s  target < %.1f s  %s\n", render_s,
           TARGET_FILE_SECONDS, verdict (render_s < TARGET_FILE_SECONDS));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *self = self_path (argv[0]);
  g_autofree char *workdir = NULL;
  double start = now_seconds ();

  setlocale (LC_ALL, "");
  g_option_context_set_summary (context, "Measures the import, search and identifier files at academy scale.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sesame-bench: %s\n", error->message);
      return 2;
    }

  if (opt_import_child != NULL)
    {
      if (g_strv_length (opt_import_child) != 2)
        return 2;
      return import_child (opt_import_child[0], opt_import_child[1]);
    }

  if (opt_pupils < 1 || opt_search_persons < 1 || opt_file_accounts < 3 || opt_queries < 1)
    {
      g_printerr ("sesame-bench: the numbers must be positive\n");
      return 2;
    }

  if (opt_search_store != NULL)
    {
      g_autoptr(SesameStore) store = sesame_store_open (opt_search_store, &error);

      check (store != NULL, error);
      g_print ("Searches on %s\n", opt_search_store);
      g_print ("  p95 %.2f ms, target < %.0f ms\n",
               bench_search (store, opt_queries, (guint32) opt_seed), TARGET_SEARCH_P95_MS);
      return 0;
    }

  if (opt_workdir != NULL)
    {
      workdir = g_strdup (opt_workdir);
      g_mkdir_with_parents (workdir, 0700);
    }
  else
    {
      workdir = g_dir_make_tmp ("sesame-bench-XXXXXX", &error);
      check (workdir != NULL, error);
    }

  g_print ("Sésame core benchmark\n");
  print_machine ();
  g_print ("Work folder: %s\n", workdir);

  if (!opt_files_only)
    bench_import_and_search (self, workdir);
  bench_identifier_file (workdir);

  g_print ("\nDone in %.0f s.\n", now_seconds () - start);

  if (!opt_keep)
    remove_tree (workdir);
  return 0;
}
