/* sesame-test-ctl.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running the real sesamectl ($SESAMECTL, set by tests/meson.build) from
 * a test, as a user runs it: on a store, as an operator, with text on its
 * standard input, an environment of its own, behind a prefix command such
 * as faketime, without a terminal. Every CLI test used to carry its own
 * copy of this; one runner means one way of reading what the command
 * printed and how it ended.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesame-test-ctl.h"

/**
 * sesame_test_run_clear:
 * @run: a run
 *
 * Frees what @run printed, so that it can be given to another run.
 */
void
sesame_test_run_clear (SesameTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Without a controlling terminal, as under cron: /dev/tty cannot open. */
static void
leave_terminal (gpointer data)
{
  setsid ();
}

static GPtrArray *
ctl_argv (const SesameTestCtl *ctl,
          const char * const  *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  const char *sesamectl = g_getenv ("SESAMECTL");

  g_assert_nonnull (sesamectl);
  for (guint i = 0; ctl->prefix != NULL && ctl->prefix[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) ctl->prefix[i]);
  g_ptr_array_add (argv, (char *) sesamectl);
  if (ctl->store != NULL)
    {
      g_ptr_array_add (argv, (char *) "--store");
      g_ptr_array_add (argv, (char *) ctl->store);
    }
  if (ctl->operator != NULL)
    {
      g_ptr_array_add (argv, (char *) "--as");
      g_ptr_array_add (argv, (char *) ctl->operator);
    }
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

static char *
read_and_remove (int         fd,
                 const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  close (fd);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_unlink (path);
  return contents;
}

/* sesamectl as a child of this process alone, so that wait4() gives its
 * own peak memory (GSubprocess reaps its children itself). Its output
 * goes to files, read once it has ended. */
static void
run_measured (const SesameTestCtl *ctl,
              const char * const  *args,
              SesameTestRun       *run)
{
  g_autoptr(GPtrArray) argv = ctl_argv (ctl, args);
  g_autofree char *out_path = NULL;
  g_autofree char *err_path = NULL;
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  gint64 start;
  int out, err;
  int status;
  pid_t pid;

  g_assert_null (ctl->input);
  g_assert_null (ctl->env);
  out = g_file_open_tmp ("sesamectl-out-XXXXXX", &out_path, &error);
  g_assert_no_error (error);
  err = g_file_open_tmp ("sesamectl-err-XXXXXX", &err_path, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      if (dup2 (out, STDOUT_FILENO) < 0 || dup2 (err, STDERR_FILENO) < 0)
        _exit (127);
      if (ctl->leave_terminal)
        setsid ();
      execv (argv->pdata[0], (char **) argv->pdata);
      _exit (127);
    }
  while (wait4 (pid, &status, 0, &usage) < 0)
    g_assert_cmpint (errno, ==, EINTR);
  run->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  if (!ctl->allow_signal)
    g_assert_true (WIFEXITED (status));
  run->status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  run->peak_rss_kb = usage.ru_maxrss;
  run->out = read_and_remove (out, out_path);
  run->err = read_and_remove (err, err_path);
}

/**
 * sesame_test_ctl_spawnv:
 * @ctl: how to run it
 * @args: (array zero-terminated=1): the arguments after --store and --as
 *
 * Starts sesamectl with its three standard streams piped; finish it with
 * sesame_test_ctl_finish(). The test fails when it cannot start.
 *
 * Returns: (transfer full): the running process
 */
GSubprocess *
sesame_test_ctl_spawnv (const SesameTestCtl *ctl,
                        const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = ctl_argv (ctl, args);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  for (guint i = 0; ctl->env != NULL && ctl->env[i] != NULL; i += 2)
    {
      if (ctl->env[i + 1] != NULL)
        g_subprocess_launcher_setenv (launcher, ctl->env[i], ctl->env[i + 1], TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, ctl->env[i]);
    }
  if (ctl->leave_terminal)
    g_subprocess_launcher_set_child_setup (launcher, leave_terminal, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/**
 * sesame_test_ctl_finish:
 * @ctl: how it was started
 * @process: a process from sesame_test_ctl_spawnv()
 * @start: when it was started (g_get_monotonic_time())
 * @run: (out caller-allocates): what it gave; cleared first
 *
 * Writes @ctl's input to @process, reads all it prints and waits for its
 * end. Unless @ctl allows it, the test fails when a signal ended it.
 */
void
sesame_test_ctl_finish (const SesameTestCtl *ctl,
                        GSubprocess         *process,
                        gint64               start,
                        SesameTestRun       *run)
{
  g_autoptr(GError) error = NULL;

  sesame_test_run_clear (run);
  g_assert_true (g_subprocess_communicate_utf8 (process, ctl->input, NULL, &run->out, &run->err, &error));
  g_assert_no_error (error);
  run->seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  if (!ctl->allow_signal)
    g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/**
 * sesame_test_ctl_runv:
 * @ctl: how to run it
 * @args: (array zero-terminated=1): the arguments after --store and --as
 * @run: (out caller-allocates): what it gave; cleared first
 *
 * Runs sesamectl to its end. With @ctl's measure_memory, it is a child
 * of its own, its peak resident size is in @run and it reads no input.
 */
void
sesame_test_ctl_runv (const SesameTestCtl *ctl,
                      const char * const  *args,
                      SesameTestRun       *run)
{
  gint64 start;
  g_autoptr(GSubprocess) process = NULL;

  if (ctl->measure_memory)
    {
      sesame_test_run_clear (run);
      run_measured (ctl, args, run);
      return;
    }
  start = g_get_monotonic_time ();
  process = sesame_test_ctl_spawnv (ctl, args);
  sesame_test_ctl_finish (ctl, process, start, run);
}

/**
 * sesame_test_ctl_run_va:
 * @ctl: how to run it
 * @run: (out caller-allocates): what it gave; cleared first
 * @ap: the arguments after --store and --as, up to a %NULL
 *
 * sesame_test_ctl_runv() for the test's own variadic runners.
 */
void
sesame_test_ctl_run_va (const SesameTestCtl *ctl,
                        SesameTestRun       *run,
                        va_list              ap)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  for (const char *arg = va_arg (ap, const char *); arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  g_ptr_array_add (args, NULL);
  sesame_test_ctl_runv (ctl, (const char * const *) args->pdata, run);
}

/**
 * sesame_test_ctl_run:
 * @ctl: how to run it
 * @run: (out caller-allocates): what it gave; cleared first
 * @...: the arguments after --store and --as, up to a %NULL
 *
 * sesame_test_ctl_runv() with the arguments in the call.
 */
void
sesame_test_ctl_run (const SesameTestCtl *ctl,
                     SesameTestRun       *run,
                     ...)
{
  va_list ap;

  va_start (ap, run);
  sesame_test_ctl_run_va (ctl, run, ap);
  va_end (ap);
}

/**
 * sesame_test_ctl_run_on:
 * @store: (nullable): the store's path
 * @operator: (nullable): the operator acting (--as)
 * @input: (nullable): what sesamectl reads on its standard input
 * @run: (out caller-allocates): what it gave
 * @...: its arguments, then %NULL
 *
 * The run most tests make: sesamectl [--store STORE] [--as OPERATOR]
 * ARGS… with INPUT, nothing else set.
 */
void
sesame_test_ctl_run_on (const char    *store,
                        const char    *operator,
                        const char    *input,
                        SesameTestRun *run,
                        ...)
{
  SesameTestCtl ctl = { .store = store, .operator = operator, .input = input };
  va_list ap;

  va_start (ap, run);
  sesame_test_ctl_run_va (&ctl, run, ap);
  va_end (ap);
}

/**
 * sesame_test_parse_json:
 * @text: what sesamectl printed with --json
 *
 * Reads @text, which must be JSON (the test fails otherwise).
 *
 * Returns: (transfer full): its root
 */
JsonNode *
sesame_test_parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}
