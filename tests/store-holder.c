/* store-holder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A process that uses a store the way the window does, for the tests of
 * several processes sharing one store: it keeps two connections open for
 * its whole life and opens one more for each piece of work, as the
 * window's background jobs do (sesame_store_dup()). It reads commands on
 * stdin, one a line, and answers each on stdout:
 *
 *   reset LOGIN   regenerates LOGIN's password on a new connection, prints it
 *   show LOGIN    prints LOGIN's live first password as its main connection
 *                 sees it, or "-" when there is none
 *
 * The tests kill it with SIGKILL to check that nothing it committed is lost.
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "sesame-credentials-private.h"
#include "sesame.h"
#include "sesame-accounts-private.h"

static char *
read_line (void)
{
  g_autoptr(GString) line = g_string_new (NULL);
  int c;

  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (c == EOF && line->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&line), FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(SesameStore) second = NULL;
  g_autoptr(GError) error = NULL;
  char *line;

  setlocale (LC_ALL, "");
  if (argc != 2)
    {
      g_printerr ("Usage: store-holder STORE\n");
      return 2;
    }

  store = sesame_store_open (argv[1], &error);
  if (store != NULL)
    second = sesame_store_dup (store, &error);
  if (second == NULL)
    {
      g_printerr ("store-holder: %s\n", error->message);
      return 1;
    }
  printf ("ready\n");
  fflush (stdout);

  while ((line = read_line ()) != NULL)
    {
      g_autofree char *command = line;

      if (g_str_has_prefix (command, "reset "))
        {
          g_autoptr(SesameStore) job = sesame_store_dup (store, &error);
          g_autofree char *password = NULL;

          if (job != NULL)
            password = sesame_accounts_reset_password (job, command + strlen ("reset "), &error);
          if (password == NULL)
            {
              g_printerr ("store-holder: %s\n", error->message);
              return 1;
            }
          printf ("%s\n", password);
        }
      else if (g_str_has_prefix (command, "show "))
        {
          g_autoptr(SesamePerson) person = sesame_accounts_find (store, command + strlen ("show "), &error);
          g_autofree char *password = NULL;

          if (person == NULL)
            {
              g_printerr ("store-holder: %s\n", error->message);
              return 1;
            }
          password = _sesame_credentials_dup_first_password (store, sesame_person_get_key (person));
          printf ("%s\n", password != NULL ? password : "-");
        }
      else
        {
          g_printerr ("store-holder: unknown command “%s”\n", command);
          return 2;
        }
      fflush (stdout);
    }

  return 0;
}
