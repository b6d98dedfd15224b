/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xf_list.h - every transform, once: the one list the registry
 * (transform.c), the declarations of the ops tables (transform.h) and the
 * tests that must reach every transform are generated from.
 *
 * Adding a transform is a file engine/xf/xf_<name>.c that defines
 * `const transform_ops xf_<name>_ops` (its rules keyword is <name>) plus
 * one row here. What the rest of the engine needs to know about it
 * (pseudonymizes, reversible, its side file) are fields of its ops table,
 * never its name. The order of the rows is the order `deid lint` and the
 * README's transform table list them in.
 *
 * Include it only with XF(name) defined; there is no include guard on
 * purpose.
 */
XF(keep)
XF(drop)
XF(blank)
XF(replace)
XF(hash)
XF(mask)
XF(range)
XF(round)
XF(noise)
XF(date)
XF(dateshift)
XF(prefix)
XF(words)
XF(hierarchy)
XF(map)
XF(pram)
XF(encrypt)
XF(fpe)
XF(token)
XF(scrub)
XF(microagg)
XF(aggregate)
XF(shuffle)
