/* sesamectl.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "sesame.h"

G_BEGIN_DECLS

/* Exit codes: the command-line contract of DESIGN.md. */
#define SESAMECTL_EXIT_OK      0
#define SESAMECTL_EXIT_REFUSED 1   /* refused or not found */
#define SESAMECTL_EXIT_USAGE   2   /* bad usage or bad input */

typedef struct
{
  SesameStore *store;     /* opened with --store, acting --as */
  const char  *program;   /* "sesamectl" */
  const char  *store_path; /* --store as given, or NULL */
} SesameCtl;

/* A command receives its own argv: argv[0] is the command's name. */
typedef int (*SesameCtlCommand) (SesameCtl *ctl,
                                 int        argc,
                                 char     **argv);

/* A subcommand of a command group, such as "files list". */
typedef struct
{
  const char       *name;
  SesameCtlCommand  run;
  const char       *synopsis;   /* the arguments, e.g. "ID --output FILE" */
  const char       *summary;    /* translatable with N_() */
} SesameCtlSubcommand;

/* Runs the subcommand named by argv[1], or prints the group's help. */
int       sesamectl_run_subcommand (SesameCtl                 *ctl,
                                    const char                *group,
                                    const SesameCtlSubcommand *subcommands,
                                    guint                      n_subcommands,
                                    int                        argc,
                                    char                     **argv);

/* Prints the error on stderr and returns the exit code it maps to. */
int       sesamectl_fail          (const GError  *error);
/* Prints a usage error on stderr (with the command's help hint) and returns 2. */
int       sesamectl_usage_error   (const char    *command,
                                   const char    *format,
                                   ...) G_GNUC_PRINTF (2, 3);
/* Parses options with GOptionContext; on failure prints and returns FALSE. */
gboolean  sesamectl_parse         (const char    *command,
                                   const char    *parameters,
                                   const char    *summary,
                                   GOptionEntry  *entries,
                                   int           *argc,
                                   char        ***argv);
/* Prints a JSON document on stdout, pretty and newline-terminated. */
void      sesamectl_print_json    (JsonNode      *node);
/* ISO 8601 in UTC, or NULL for 0. */
char     *sesamectl_format_time   (gint64         unix_time);
/* Adds the member NAME: the time as sesamectl_format_time() writes it, or
 * null for 0. */
void      sesamectl_json_add_time (JsonBuilder   *builder,
                                   const char    *name,
                                   gint64         unix_time);
/* Local date and time for people, e.g. "28/11/2026 14:05". */
char     *sesamectl_format_local_time (gint64     unix_time);
/* Parses YYYY-MM-DD as local midnight. */
gboolean  sesamectl_parse_date    (const char    *text,
                                   gint64        *unix_time);
/* Reads one line from stdin, without its line end; NULL at end of input. */
char     *sesamectl_read_line     (void);
/* Reads a secret line: from the terminal without echo when stdin is one
 * (after PROMPT on it), otherwise from stdin. NULL at end of input. */
char     *sesamectl_read_secret   (const char    *prompt);
/* Wipes a secret and frees it. */
void      sesamectl_wipe_secret   (char          *secret);
/* A string holding a secret: wiped before it is freed. */
typedef char char_secret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (char_secret, sesamectl_wipe_secret)
/* Tables padded by the width text takes on screen (sesamectl-columns.c). */
guint     sesamectl_display_width (const char    *text);
void      sesamectl_append_padded (GString       *line,
                                   const char    *text,
                                   guint          width);
void      sesamectl_print_row     (const guint   *widths,
                                   guint          n_columns,
                                   ...);
/* Adds a person's search/show fields to a JSON builder's open object. */
void      sesamectl_add_person_members (JsonBuilder  *builder,
                                        SesamePerson *person);

int sesamectl_cmd_import    (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_files     (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_search    (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_account   (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_roles     (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_audit     (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_letters   (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_settings  (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_smtp      (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_diffusion (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_operator  (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_notices   (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_desks     (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_cas       (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_join      (SesameCtl *ctl, int argc, char **argv);
int sesamectl_cmd_sync      (SesameCtl *ctl, int argc, char **argv);

/* Following a job the server runs for a desk (sesamectl-job.c). The line
 * to show for a progress, or NULL to show nothing new. */
typedef char *(*SesameCtlJobLine) (const SesameSyncJobProgress *progress);

typedef struct
{
  GMainLoop        *loop;
  GCancellable     *cancellable;   /* cancelled by Ctrl+C or SIGTERM */
  GAsyncResult     *result;
  SesameCtlJobLine  line;
  const char       *cancel_message;
  gboolean          terminal;
  gboolean          shown;
} SesameCtlJob;

void          sesamectl_job_init     (SesameCtlJob                *job,
                                      SesameCtlJobLine             line,
                                      const char                  *cancel_message);
void          sesamectl_job_clear    (SesameCtlJob                *job);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SesameCtlJob, sesamectl_job_clear)
void          sesamectl_job_progress (const SesameSyncJobProgress *progress,
                                      gpointer                     job);
void          sesamectl_job_done     (GObject                     *source,
                                      GAsyncResult                *result,
                                      gpointer                     job);
GAsyncResult *sesamectl_job_wait     (SesameCtlJob                *job);
int           sesamectl_job_fail     (const GError                *error,
                                      const char                  *offline_hint);

/* After a regeneration: sends the operator's notice, warning if it cannot. */
void sesamectl_send_notices (SesameCtl *ctl);

G_END_DECLS
