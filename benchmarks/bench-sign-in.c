/* bench-sign-in.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How many families sign in per second on sesame-server's /connexion, and
 * whether the server stays usable when many try at once. Every accepted
 * sign-in costs an Argon2id verification with the parameters the server
 * hashes with (read back from the store and printed), so the figures are
 * those of the hardware the benchmark runs on:
 *  1. sign-ins per second and the median and 95th percentile latency of
 *     the POST, for 1, 2 and 8 clients signing in over and over (each
 *     attempt a fresh session: GET the form, POST it with its CSRF token);
 *  2. a burst of 200 sign-in attempts whose POSTs leave at the same moment
 *     (each form fetched first): how many were accepted, how many got 503
 *     with a Retry-After (the hashing pool full), anything else; and
 *     meanwhile somebody else's page (GET /mot-de-passe-oublie) asked every
 *     20 ms, with its latency.
 *
 * The store is the tests' small school grown to enough accounts that no
 * login is tried twice at once (the throttling per login would answer
 * instead of the hashing). Everything runs on 127.0.0.1 over HTTPS with the
 * server's own certificate.
 *
 *   bench-sign-in [--seconds S] [--burst N] PATH-OF-SESAME-SERVER
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include <libsoup/soup.h>

#include "sesame.h"
#include "sesame-store-private.h"
#include "sesame-store-grower.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

#define PASSWORD_PREFIX "Bench-Mont-Blanc-"
#define PROBE_PATH      "/mot-de-passe-oublie"
#define SIGN_IN_PATH    "/connexion"

static int opt_seconds = 10;
static int opt_burst = 200;

static GOptionEntry entries[] = {
  { "seconds", 0, 0, G_OPTION_ARG_INT, &opt_seconds, "How long each throughput run lasts (10)", "S" },
  { "burst", 0, 0, G_OPTION_ARG_INT, &opt_burst, "Sign-in attempts sent at once (200)", "N" },
  { NULL }
};

typedef enum {
  OUTCOME_ACCEPTED,
  OUTCOME_REFUSED,
  OUTCOME_BUSY,           /* 503 with Retry-After */
  OUTCOME_BUSY_NO_RETRY,  /* 503 without: a defect */
  OUTCOME_THROTTLED,      /* 429 */
  OUTCOME_FAILED,         /* no answer, or not a sign-in page */
  N_OUTCOMES
} Outcome;

static const char *outcome_names[N_OUTCOMES] = {
  "accepted", "refused", "503 with Retry-After", "503 without Retry-After", "429 too many attempts", "failed",
};

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    {
      g_printerr ("bench-sign-in: %s\n", error != NULL ? error->message : "failed");
      exit (1);
    }
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* ---- the store ------------------------------------------------------- */

/* Every account a family member signs in with gets a chosen password, set
 * as the person would: the first password, then the change. Each costs an
 * Argon2id hash: one thread per processor, each on a connection of its own. */
typedef struct {
  const char *path;
  GPtrArray  *logins;
  guint       first;
  guint       step;
  GPtrArray  *ready;    /* logins set, owned */
} Preparer;

static gpointer
prepare_some (gpointer data)
{
  Preparer *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) store = sesame_store_open_full (job->path, SESAME_STORE_OPEN_NONE, &error);

  check (store != NULL, error);
  for (guint i = job->first; i < job->logins->len; i += job->step)
    {
      const char *login = job->logins->pdata[i];
      g_autofree char *first = sesame_accounts_reset_password (store, login, NULL);
      g_autofree char *chosen = g_strconcat (PASSWORD_PREFIX, login, NULL);

      if (first == NULL)
        continue;  /* academy staff: they never sign in here */
      check (sesame_passwords_change (store, login, first, chosen, &error), error);
      g_ptr_array_add (job->ready, g_strdup (login));
    }
  return NULL;
}

static GPtrArray *
prepare_accounts (SesameStore *store,
                  guint        wanted)
{
  g_autoptr(GPtrArray) logins = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *ready = g_ptr_array_new_with_free_func (g_free);
  guint n_threads = CLAMP (g_get_num_processors (), 1, 8);
  g_autofree Preparer *jobs = g_new0 (Preparer, n_threads);
  g_autofree GThread **threads = g_new0 (GThread *, n_threads);
  sqlite3_stmt *stmt;

  /* Pupils and parents: the others (academy staff) never sign in here. */
  stmt = _sesame_store_prepare (store,
                                "SELECT a.login FROM accounts a JOIN persons p ON p.key = a.person_key"
                                " WHERE a.deleted_at IS NULL AND p.deleted_at IS NULL"
                                " AND p.profile IN (?, ?) ORDER BY a.login LIMIT ?",
                                NULL);
  check (stmt != NULL, NULL);
  sqlite3_bind_int (stmt, 1, SESAME_PROFILE_ELEVE);
  sqlite3_bind_int (stmt, 2, SESAME_PROFILE_PARENT);
  sqlite3_bind_int (stmt, 3, (int) wanted);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (logins, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  for (guint t = 0; t < n_threads; t++)
    {
      jobs[t] = (Preparer) { sesame_store_get_path (store), logins, t, n_threads,
                             g_ptr_array_new_with_free_func (g_free) };
      threads[t] = g_thread_new ("prepare", prepare_some, &jobs[t]);
    }
  for (guint t = 0; t < n_threads; t++)
    {
      g_thread_join (threads[t]);
      for (guint i = 0; i < jobs[t].ready->len; i++)
        g_ptr_array_add (ready, g_strdup (jobs[t].ready->pdata[i]));
      g_ptr_array_unref (jobs[t].ready);
    }
  return ready;
}

/* The parameters the hashes carry ($argon2id$v=19$m=…,t=…,p=…$…). */
static char *
argon2_parameters (SesameStore *store)
{
  sqlite3_stmt *stmt;
  char *parameters = NULL;

  stmt = _sesame_store_prepare (store,
                                "SELECT password_hash FROM accounts WHERE password_hash IS NOT NULL LIMIT 1", NULL);
  check (stmt != NULL, NULL);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_auto(GStrv) parts = g_strsplit ((const char *) sqlite3_column_text (stmt, 0), "$", -1);

      if (g_strv_length (parts) > 3)
        parameters = g_strdup_printf ("%s, %s", parts[1], parts[3]);
    }
  sqlite3_reset (stmt);
  return parameters != NULL ? parameters : g_strdup ("unknown");
}

/* ---- HTTP ------------------------------------------------------------ */

static const char *base_url;

static gboolean
accept_own_certificate (SoupMessage          *msg,
                        GTlsCertificate      *certificate,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  /* The server this benchmark started, on loopback, with a certificate
   * it made on its first start. */
  return TRUE;
}

static SoupSession *
new_session (void)
{
  return soup_session_new_with_options ("timeout", 120, "idle-timeout", 120,
                                        "max-conns", 4, "max-conns-per-host", 4, NULL);
}

static SoupMessage *
new_message (const char *method,
             const char *path)
{
  g_autofree char *url = g_strconcat (base_url, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_own_certificate), NULL);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  return msg;
}

static void
replace_str (char       **slot,
             const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static char *
attribute (const char *tag,
           const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("\\b%s\\s*=\\s*\"([^\"]*)\"", name);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
  g_autofree char *raw = NULL;

  if (!g_regex_match (regex, tag, 0, &match))
    return NULL;
  raw = g_match_info_fetch (match, 1);
  /* Values are HTML-escaped; tokens and names hold none of the escaped
   * characters but &amp; in an action. */
  {
    g_autoptr(GString) s = g_string_new (raw);
    g_string_replace (s, "&amp;", "&", 0);
    g_string_replace (s, "&quot;", "\"", 0);
    return g_string_free (g_steal_pointer (&s), FALSE);
  }
}

/* The sign-in form's fields (hidden ones with their values), the names of
 * its login and password fields, and where it posts. */
typedef struct {
  GHashTable *fields;
  char       *login_name;
  char       *password_name;
  char       *action;
} Form;

static void
form_clear (Form *form)
{
  g_clear_pointer (&form->fields, g_hash_table_unref);
  g_clear_pointer (&form->login_name, g_free);
  g_clear_pointer (&form->password_name, g_free);
  g_clear_pointer (&form->action, g_free);
}

static gboolean
parse_form (const char *html,
            Form       *form)
{
  g_autoptr(GRegex) form_regex = g_regex_new ("<form\\b([^>]*)>(.*?)</form>", G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GRegex) input_regex = g_regex_new ("<input\\b[^>]*>", G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_regex_match (form_regex, html, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *open = g_match_info_fetch (match, 1);
      g_autofree char *inner = g_match_info_fetch (match, 2);
      g_autoptr(GMatchInfo) inputs = NULL;

      form->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_regex_match (input_regex, inner, 0, &inputs);
      while (g_match_info_matches (inputs))
        {
          g_autofree char *tag = g_match_info_fetch (inputs, 0);
          g_autofree char *type = attribute (tag, "type");
          g_autofree char *name = attribute (tag, "name");

          if (name != NULL)
            {
              if (type == NULL || g_ascii_strcasecmp (type, "text") == 0 || g_ascii_strcasecmp (type, "email") == 0)
                replace_str (&form->login_name, name);
              else if (g_ascii_strcasecmp (type, "password") == 0)
                replace_str (&form->password_name, name);
              else if (g_ascii_strcasecmp (type, "hidden") == 0)
                {
                  char *value = attribute (tag, "value");
                  g_hash_table_replace (form->fields, g_strdup (name), value != NULL ? value : g_strdup (""));
                }
            }
          g_match_info_next (inputs, NULL);
        }
      if (form->login_name != NULL && form->password_name != NULL)
        {
          form->action = attribute (open, "action");
          if (form->action == NULL || form->action[0] == '\0')
            replace_str (&form->action, SIGN_IN_PATH);
          return TRUE;
        }
      form_clear (form);
      g_match_info_next (match, NULL);
    }
  return FALSE;
}

/* One person signing in afresh: the form, then the POST (timed), with
 * @before_post called in between (the burst's starting line). */
static Outcome
sign_in (SoupSession *session,
         const char  *login,
         const char  *password,
         GFunc        before_post,
         gpointer     data,
         gint64      *post_usec)
{
  g_autoptr(SoupMessage) get = new_message ("GET", SIGN_IN_PATH);
  g_autoptr(SoupMessage) post = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  g_autofree char *cookies = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *path = NULL;
  GSList *jar;
  Form form = { 0 };
  const char *location;
  gint64 started;
  guint status;

  body = soup_session_send_and_read (session, get, NULL, &error);
  if (body == NULL || soup_message_get_status (get) != SOUP_STATUS_OK)
    return soup_message_get_status (get) == SOUP_STATUS_SERVICE_UNAVAILABLE ? OUTCOME_BUSY : OUTCOME_FAILED;
  html = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  if (!parse_form (html, &form))
    {
      static gsize told = 0;
      if (g_once_init_enter (&told))
        {
          g_printerr ("bench-sign-in: no sign-in form on %s:\n%.600s\n", SIGN_IN_PATH, html);
          g_once_init_leave (&told, 1);
        }
      return OUTCOME_FAILED;
    }
  jar = soup_cookies_from_response (get);
  cookies = soup_cookies_to_cookie_header (jar);
  soup_cookies_free (jar);

  g_hash_table_replace (form.fields, g_strdup (form.login_name), g_strdup (login));
  g_hash_table_replace (form.fields, g_strdup (form.password_name), g_strdup (password));
  encoded = soup_form_encode_hash (form.fields);
  path = g_str_has_prefix (form.action, "/") ? g_strdup (form.action) : g_strconcat ("/", form.action, NULL);
  post = new_message ("POST", path);
  {
    gsize length = strlen (encoded);
    g_autoptr(GBytes) request = g_bytes_new_take (g_steal_pointer (&encoded), length);

    soup_message_set_request_body_from_bytes (post, "application/x-www-form-urlencoded", request);
  }
  if (cookies != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (post), "Cookie", cookies);
  soup_message_headers_replace (soup_message_get_request_headers (post), "Origin", base_url);
  form_clear (&form);

  if (before_post != NULL)
    before_post (data, NULL);
  started = g_get_monotonic_time ();
  answer = soup_session_send_and_read (session, post, NULL, &error);
  *post_usec = g_get_monotonic_time () - started;
  if (answer == NULL)
    return OUTCOME_FAILED;
  status = soup_message_get_status (post);
  location = soup_message_headers_get_one (soup_message_get_response_headers (post), "Location");
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    return soup_message_headers_get_one (soup_message_get_response_headers (post), "Retry-After") != NULL
      ? OUTCOME_BUSY : OUTCOME_BUSY_NO_RETRY;
  if (status == 429 /* Too Many Requests, not named in libsoup 3.2 */)
    return OUTCOME_THROTTLED;
  if (SOUP_STATUS_IS_REDIRECTION (status) && location != NULL && strstr (location, SIGN_IN_PATH) == NULL)
    return OUTCOME_ACCEPTED;
  return OUTCOME_REFUSED;
}

/* ---- figures --------------------------------------------------------- */

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static double
percentile_ms (GArray *usecs,
               double  p)
{
  guint i;

  if (usecs->len == 0)
    return 0;
  g_array_sort (usecs, compare_int64);
  i = (guint) (p * (usecs->len - 1) + 0.5);
  return g_array_index (usecs, gint64, MIN (i, usecs->len - 1)) / 1000.0;
}

typedef struct {
  GMutex      lock;
  GPtrArray  *logins;
  guint       next;
  gint64      deadline;
  GArray     *latencies;   /* of accepted sign-ins, µs */
  guint       outcomes[N_OUTCOMES];
} Run;

static const char *
take_login (Run *run)
{
  const char *login;

  g_mutex_lock (&run->lock);
  login = run->logins->pdata[run->next++ % run->logins->len];
  g_mutex_unlock (&run->lock);
  return login;
}

static gpointer
throughput_client (gpointer data)
{
  Run *run = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;

  g_main_context_push_thread_default (context);
  session = new_session ();
  while (g_get_monotonic_time () < run->deadline)
    {
      const char *login = take_login (run);
      g_autofree char *password = g_strconcat (PASSWORD_PREFIX, login, NULL);
      gint64 usec = 0;
      Outcome outcome = sign_in (session, login, password, NULL, NULL, &usec);

      g_mutex_lock (&run->lock);
      run->outcomes[outcome]++;
      if (outcome == OUTCOME_ACCEPTED)
        g_array_append_val (run->latencies, usec);
      g_mutex_unlock (&run->lock);
      if (outcome == OUTCOME_BUSY)
        g_usleep (50000);
    }
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
print_outcomes (const guint *outcomes)
{
  for (guint i = 0; i < N_OUTCOMES; i++)
    if (outcomes[i] > 0)
      g_print ("    %-26s %u\n", outcome_names[i], outcomes[i]);
}

static void
throughput (GPtrArray *logins,
            guint      clients)
{
  Run run = { 0 };
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  gint64 started;
  double seconds;

  g_mutex_init (&run.lock);
  run.logins = logins;
  run.latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  started = g_get_monotonic_time ();
  run.deadline = started + (gint64) opt_seconds * G_USEC_PER_SEC;
  for (guint i = 0; i < clients; i++)
    g_ptr_array_add (threads, g_thread_new ("client", throughput_client, &run));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

  g_print ("  %u client%s: %.1f sign-ins/s, POST latency median %.0f ms, p95 %.0f ms (%u in %.1f s)\n",
           clients, clients > 1 ? "s" : "", run.outcomes[OUTCOME_ACCEPTED] / seconds,
           percentile_ms (run.latencies, 0.5), percentile_ms (run.latencies, 0.95),
           run.outcomes[OUTCOME_ACCEPTED], seconds);
  for (guint i = 0; i < N_OUTCOMES; i++)
    if (i != OUTCOME_ACCEPTED && run.outcomes[i] > 0)
      {
        print_outcomes (run.outcomes);
        break;
      }
  g_array_unref (run.latencies);
  g_mutex_clear (&run.lock);
}

/* ---- the burst ------------------------------------------------------- */

typedef struct {
  GMutex   lock;
  GCond    cond;
  gboolean go;
  guint    ready;
  guint    done;
  guint    outcomes[N_OUTCOMES];
  GArray  *latencies;
} Burst;

typedef struct {
  Burst      *burst;
  const char *login;
  gboolean    started;
} Attempt;

static void
wait_for_start (gpointer data,
                gpointer unused)
{
  Attempt *attempt = data;
  Burst *burst = attempt->burst;

  attempt->started = TRUE;
  g_mutex_lock (&burst->lock);
  burst->ready++;
  g_cond_broadcast (&burst->cond);
  while (!burst->go)
    g_cond_wait (&burst->cond, &burst->lock);
  g_mutex_unlock (&burst->lock);
}

static gpointer
burst_client (gpointer data)
{
  Attempt *attempt = data;
  Burst *burst = attempt->burst;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *password = g_strconcat (PASSWORD_PREFIX, attempt->login, NULL);
  gint64 usec = 0;
  Outcome outcome;

  g_main_context_push_thread_default (context);
  session = new_session ();
  /* The form is fetched first: the POSTs leave together. */
  outcome = sign_in (session, attempt->login, password, wait_for_start, attempt, &usec);
  /* Never got as far as the POST: still counted at the start. */
  if (!attempt->started)
    wait_for_start (attempt, NULL);

  g_mutex_lock (&burst->lock);
  burst->outcomes[outcome]++;
  g_array_append_val (burst->latencies, usec);
  burst->done++;
  g_mutex_unlock (&burst->lock);
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
burst_run (GPtrArray *logins,
           guint      count)
{
  Burst burst = { 0 };
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autofree Attempt *attempts = g_new0 (Attempt, count);
  g_autoptr(SoupSession) probe = new_session ();
  g_autoptr(GArray) probes = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint probe_failures = 0;
  gint64 started, finished;
  gboolean all_done = FALSE;

  g_mutex_init (&burst.lock);
  g_cond_init (&burst.cond);
  burst.latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < count; i++)
    {
      attempts[i].burst = &burst;
      attempts[i].login = logins->pdata[i % logins->len];
      g_ptr_array_add (threads, g_thread_new ("attempt", burst_client, &attempts[i]));
    }
  g_mutex_lock (&burst.lock);
  while (burst.ready < count)
    g_cond_wait (&burst.cond, &burst.lock);
  burst.go = TRUE;
  g_cond_broadcast (&burst.cond);
  g_mutex_unlock (&burst.lock);
  started = g_get_monotonic_time ();

  /* Somebody else's page while the burst is in the pool. */
  while (!all_done)
    {
      g_autoptr(SoupMessage) msg = new_message ("GET", PROBE_PATH);
      g_autoptr(GBytes) body = NULL;
      gint64 t0 = g_get_monotonic_time (), usec;

      body = soup_session_send_and_read (probe, msg, NULL, NULL);
      usec = g_get_monotonic_time () - t0;
      if (body == NULL || soup_message_get_status (msg) != SOUP_STATUS_OK)
        probe_failures++;
      else
        g_array_append_val (probes, usec);
      g_mutex_lock (&burst.lock);
      all_done = burst.done == count;
      g_mutex_unlock (&burst.lock);
      if (!all_done)
        g_usleep (20000);
    }
  finished = g_get_monotonic_time ();
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);

  g_print ("  %u attempts at once, all answered in %.1f s:\n", count, (finished - started) / (double) G_USEC_PER_SEC);
  print_outcomes (burst.outcomes);
  g_print ("    attempt latency            median %.0f ms, p95 %.0f ms, max %.0f ms\n",
           percentile_ms (burst.latencies, 0.5), percentile_ms (burst.latencies, 0.95),
           percentile_ms (burst.latencies, 1.0));
  g_print ("  meanwhile GET %s: %u answers, median %.0f ms, p95 %.0f ms, max %.0f ms, %u not 200\n",
           PROBE_PATH, probes->len, percentile_ms (probes, 0.5), percentile_ms (probes, 0.95),
           percentile_ms (probes, 1.0), probe_failures);
  g_array_unref (burst.latencies);
  g_mutex_clear (&burst.lock);
  g_cond_clear (&burst.cond);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("PATH-OF-SESAME-SERVER");
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GPtrArray) logins = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *url = NULL;
  g_autofree char *parameters = NULL;
  g_autofree char *store_path = NULL;
  gint64 started;
  guint accounts;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || opt_seconds < 1 || opt_burst < 1)
    {
      g_printerr ("Usage: bench-sign-in [--seconds S] [--burst N] PATH-OF-SESAME-SERVER\n");
      return 2;
    }

  dir = g_dir_make_tmp ("sesame-bench-sign-in-XXXXXX", &error);
  check (dir != NULL, error);
  store = sesame_test_fixture_store (dir);
  /* No login twice in the burst: about one person in two signs in here. */
  accounts = (guint) opt_burst + 16;
  check (sesame_store_grower_clone_persons (store, accounts * 2 + 64, NULL, &error), error);
  check (sesame_store_settings_set (store, SESAME_SETTING_ENT_NAME, "Collège du Mont-Blanc", &error), error);
  check (sesame_store_settings_set (store, SESAME_SETTING_ENT_URL, "https://127.0.0.1", &error), error);
  started = g_get_monotonic_time ();
  logins = prepare_accounts (store, accounts);
  check (logins->len > 0, NULL);
  parameters = argon2_parameters (store);
  g_print ("Store: %u accounts with a chosen password (set in %.1f s), Argon2id %s\n", logins->len,
           (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC, parameters);
  g_print ("Machine: %u processors online\n", g_get_num_processors ());
  store_path = g_strdup (sesame_store_get_path (store));
  g_clear_object (&store);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, argv[1], "--store", store_path,
                                        "--listen", "127.0.0.1:0", NULL);
  check (server != NULL, error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  while (url == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      check (line != NULL, error);
      if (g_str_has_prefix (line, "Listening on "))
        {
          url = g_strdup (line + strlen ("Listening on "));
          if (g_str_has_suffix (url, "/"))
            url[strlen (url) - 1] = '\0';
        }
    }
  base_url = url;

  g_print ("Sign-ins on %s%s, each a fresh session (GET the form, POST it):\n", url, SIGN_IN_PATH);
  throughput (logins, 1);
  throughput (logins, 2);
  throughput (logins, 8);
  g_print ("Burst:\n");
  burst_run (logins, (guint) opt_burst);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
  sesame_test_remove_tree (dir);
  return 0;
}
