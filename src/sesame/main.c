/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "sesame-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SesameApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* SESAME_LOCALEDIR lets the tests and an uninstalled build find the
   * translations built in the build tree. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SESAME_LOCALEDIR") ? g_getenv ("SESAME_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = sesame_application_new (APPLICATION_ID, G_APPLICATION_DEFAULT_FLAGS);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
