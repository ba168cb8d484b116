/*
 * rss_floor - does nothing; built statically. `rss_run rss_floor` shows the
 * smallest peak RSS rss_run can report (what the wrapper itself carries
 * into the child), to read the other figures against.
 *
 * SPDX-License-Identifier: MIT
 */
int main(void)
{
    return 0;
}
