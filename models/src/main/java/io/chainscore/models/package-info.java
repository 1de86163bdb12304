/** The bundled default models and their loader. */
package io.chainscore.models;
