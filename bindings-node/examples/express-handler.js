// routes/refiner.js: hand the logged-in user's Refiner signature to the page.
const express = require('express')
const { Signer } = require('refiner-identity')

// Once per process: the key is validated here, not on every request.
const signer = Signer.fromEnv() // reads REFINER_SECRET_KEY

const router = express.Router()
router.get('/refiner-identity', (req, res) => {
  const userId = req.user.id // set by your authentication middleware
  // In the page: _refiner('identifyUser', { id: data.id }, { signature: data.signature })
  res.json({ id: String(userId), signature: signer.sign(userId) })
})

module.exports = router
