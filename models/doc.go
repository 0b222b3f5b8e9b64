// Package models holds neuromass's built-in neural mass models. Each model is defined once, as text
// in the model language (docs/model-language.md), in a .nm file of this directory that is embedded
// into the binary:
//
//	aln       adaptive linear-nonlinear mean field of AdEx neurons (neurolib's ALNModel)
//	fhn       FitzHugh-Nagumo oscillator (FHNModel)
//	hopf      Hopf / Stuart-Landau oscillator (HopfModel)
//	kuramoto  Kuramoto phase oscillators (KuramotoModel)
//	rww       reduced Wong-Wang model (neurolib's MultiModel ReducedWongWangNode)
//	thalamus  thalamic mass model of Costa et al. 2016 (ThalamicMassModel)
//	wc        Wilson-Cowan model (WCModel)
//	ww        two-population Wong-Wang model (WWModel)
//
// The classic models reproduce neurolib's defaults, initial-condition draws, noise order and order
// of arithmetic (spec/models.md). Names lists them, Source returns a model's text, Compile compiles
// one, and Load accepts either a built-in name or the path of a user's .nm file.
package models
